package io.metastream.core.continuous;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Fan-out of a pass's independent pieces over the machine's cores, for the passes that run alone (the TRPO
 * meta-step): each item writes only its own result slot and the caller combines the slots in item order, so the
 * result does not depend on the number of threads or on which thread ran which item. The caller is worker 0;
 * the others come from a shared pool of daemon threads.
 */
final class Parallel {

    /** Workers a pass uses by default: the cores this JVM may use. */
    static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

    private static final AtomicLong NAMES = new AtomicLong();
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "metastream-parallel-" + NAMES.incrementAndGet());
        t.setDaemon(true);
        return t;
    });

    /** The work on one item, by the worker (0 .. workers − 1) that claimed it; a worker runs one item at a time. */
    @FunctionalInterface
    interface Body {
        void run(int worker, int item);
    }

    private Parallel() {
    }

    /** Runs {@code body} on items 0 .. items − 1 with up to {@code workers} workers; rethrows the first failure. */
    static void run(int items, int workers, Body body) {
        int w = Math.max(1, Math.min(workers, items));
        AtomicInteger next = new AtomicInteger();
        if (w == 1) {
            for (int i = 0; i < items; i++) {
                body.run(0, i);
            }
            return;
        }
        List<Future<?>> others = new ArrayList<>(w - 1);
        for (int k = 1; k < w; k++) {
            int worker = k;
            others.add(POOL.submit(() -> drain(next, items, worker, body)));
        }
        Throwable failure = null;
        try {
            drain(next, items, 0, body);
        } catch (RuntimeException | Error e) {
            failure = e;
            next.set(items);   // the others stop claiming
        }
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = failure != null ? failure : new IllegalStateException("interrupted while waiting for a parallel pass", e);
            } catch (java.util.concurrent.ExecutionException e) {
                failure = failure != null ? failure : e.getCause();
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    private static void drain(AtomicInteger next, int items, int worker, Body body) {
        for (int i = next.getAndIncrement(); i < items; i = next.getAndIncrement()) {
            body.run(worker, i);
        }
    }
}
