/*
 * JNI shim between io.metastream.mujoco.MujocoNative and MuJoCo 2.2.2 (Debian libmujoco-dev).
 *
 * Design:
 *  - mju_user_error / mju_user_warning are replaced (once, at JNI_OnLoad) by handlers that never
 *    exit the process. The error handler copies the message into a thread-local buffer and
 *    longjmp()s back to the JNI entry point that armed it with setjmp(); the entry then throws
 *    io.metastream.mujoco.MujocoException carrying MuJoCo's text. If MuJoCo reports an error on
 *    a thread that did not arm a jump buffer (should not happen), the handler only records it.
 *  - Model loading is serialised by a global mutex (the XML parser/compiler is not meant to run
 *    concurrently); mjData objects are private to one environment and need no lock.
 *  - One native call per environment step: controls in, frame-skip loop in C, qpos/qvel out.
 *    The return value is a bitmask of instability flags (see MujocoNative.FLAG_*).
 */
#include <jni.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <mujoco/mujoco.h>

#include "io_metastream_mujoco_MujocoNative.h"

/* keep in sync with MujocoNative.FLAG_* */
#define FLAG_BADQACC 1
#define FLAG_BADQPOS 2
#define FLAG_BADQVEL 4
#define FLAG_BADCTRL 8
#define FLAG_NAN 16
#define FLAG_OTHER_WARNING 32

static pthread_mutex_t load_lock = PTHREAD_MUTEX_INITIALIZER;

static __thread jmp_buf *tl_jump = NULL;
static __thread char tl_error[1024];
static __thread char tl_warning[1024];

static void metastream_error_handler(const char *msg) {
    snprintf(tl_error, sizeof tl_error, "%s", msg ? msg : "(no message)");
    if (tl_jump != NULL) {
        jmp_buf *target = tl_jump;
        tl_jump = NULL;
        longjmp(*target, 1);
    }
    /* no armed entry point: returning is the only option that does not kill the JVM */
}

static void metastream_warning_handler(const char *msg) {
    /* recorded only; instabilities are reported through the d->warning[] counters */
    snprintf(tl_warning, sizeof tl_warning, "%s", msg ? msg : "");
}

JNIEXPORT jint JNICALL JNI_OnLoad(JavaVM *vm, void *reserved) {
    (void) vm;
    (void) reserved;
    mju_user_error = metastream_error_handler;
    mju_user_warning = metastream_warning_handler;
    return JNI_VERSION_1_8;
}

static void throw_mujoco(JNIEnv *env, const char *prefix, const char *msg) {
    char buf[1400];
    snprintf(buf, sizeof buf, "%s%s", prefix, msg);
    jclass cls = (*env)->FindClass(env, "io/metastream/mujoco/MujocoException");
    if (cls == NULL) {
        return; /* NoClassDefFoundError pending */
    }
    (*env)->ThrowNew(env, cls, buf);
}

static void throw_illegal_argument(JNIEnv *env, const char *msg) {
    jclass cls = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
    if (cls != NULL) {
        (*env)->ThrowNew(env, cls, msg);
    }
}

static int check_len(JNIEnv *env, jdoubleArray a, int n, const char *what) {
    if (a == NULL) {
        return 1; /* optional */
    }
    if ((*env)->GetArrayLength(env, a) < n) {
        char buf[160];
        snprintf(buf, sizeof buf, "%s array shorter than %d", what, n);
        throw_illegal_argument(env, buf);
        return 0;
    }
    return 1;
}

JNIEXPORT jstring JNICALL Java_io_metastream_mujoco_MujocoNative_version(JNIEnv *env, jclass cls) {
    (void) cls;
    return (*env)->NewStringUTF(env, mj_versionString());
}

JNIEXPORT jlong JNICALL Java_io_metastream_mujoco_MujocoNative_loadModel(JNIEnv *env, jclass cls, jstring jpath) {
    (void) cls;
    if (jpath == NULL) {
        throw_illegal_argument(env, "model path is null");
        return 0;
    }
    const char *path = (*env)->GetStringUTFChars(env, jpath, NULL);
    if (path == NULL) {
        return 0;
    }
    char err[1000];
    err[0] = '\0';
    mjModel *volatile m = NULL;
    volatile int failed = 0;
    jmp_buf jump;
    pthread_mutex_lock(&load_lock);
    if (setjmp(jump) == 0) {
        tl_jump = &jump;
        m = mj_loadXML(path, NULL, err, sizeof err);
        tl_jump = NULL;
    } else {
        failed = 1; /* mju_error during compilation; message in tl_error */
    }
    pthread_mutex_unlock(&load_lock);
    (*env)->ReleaseStringUTFChars(env, jpath, path);
    if (failed) {
        throw_mujoco(env, "MuJoCo error while loading model: ", tl_error);
        return 0;
    }
    if (m == NULL) {
        throw_mujoco(env, "", err[0] ? err : "mj_loadXML failed without a message");
        return 0;
    }
    return (jlong) (intptr_t) m;
}

JNIEXPORT void JNICALL Java_io_metastream_mujoco_MujocoNative_freeModel(JNIEnv *env, jclass cls, jlong handle) {
    (void) env;
    (void) cls;
    if (handle != 0) {
        mj_deleteModel((mjModel *) (intptr_t) handle);
    }
}

JNIEXPORT jintArray JNICALL Java_io_metastream_mujoco_MujocoNative_modelSizes(JNIEnv *env, jclass cls, jlong handle) {
    (void) cls;
    const mjModel *m = (const mjModel *) (intptr_t) handle;
    jint sizes[5] = {m->nq, m->nv, m->nu, m->na, m->nbody};
    jintArray out = (*env)->NewIntArray(env, 5);
    if (out != NULL) {
        (*env)->SetIntArrayRegion(env, out, 0, 5, sizes);
    }
    return out;
}

JNIEXPORT jdouble JNICALL Java_io_metastream_mujoco_MujocoNative_timestep(JNIEnv *env, jclass cls, jlong handle) {
    (void) env;
    (void) cls;
    return ((const mjModel *) (intptr_t) handle)->opt.timestep;
}

JNIEXPORT void JNICALL Java_io_metastream_mujoco_MujocoNative_ctrlRange(JNIEnv *env, jclass cls, jlong handle,
                                                                        jdoubleArray lo, jdoubleArray hi) {
    (void) cls;
    const mjModel *m = (const mjModel *) (intptr_t) handle;
    if (!check_len(env, lo, m->nu, "lo") || !check_len(env, hi, m->nu, "hi")) {
        return;
    }
    for (int i = 0; i < m->nu; i++) {
        jdouble l = m->actuator_ctrllimited[i] ? m->actuator_ctrlrange[2 * i] : -INFINITY;
        jdouble h = m->actuator_ctrllimited[i] ? m->actuator_ctrlrange[2 * i + 1] : INFINITY;
        (*env)->SetDoubleArrayRegion(env, lo, i, 1, &l);
        (*env)->SetDoubleArrayRegion(env, hi, i, 1, &h);
    }
}

JNIEXPORT jlong JNICALL Java_io_metastream_mujoco_MujocoNative_makeData(JNIEnv *env, jclass cls, jlong handle) {
    (void) cls;
    const mjModel *m = (const mjModel *) (intptr_t) handle;
    mjData *volatile d = NULL;
    jmp_buf jump;
    if (setjmp(jump) == 0) {
        tl_jump = &jump;
        d = mj_makeData(m);
        tl_jump = NULL;
    } else {
        throw_mujoco(env, "MuJoCo error in mj_makeData: ", tl_error);
        return 0;
    }
    if (d == NULL) {
        throw_mujoco(env, "", "mj_makeData returned NULL (out of memory?)");
        return 0;
    }
    return (jlong) (intptr_t) d;
}

JNIEXPORT void JNICALL Java_io_metastream_mujoco_MujocoNative_freeData(JNIEnv *env, jclass cls, jlong handle) {
    (void) env;
    (void) cls;
    if (handle != 0) {
        mj_deleteData((mjData *) (intptr_t) handle);
    }
}

static void copy_state_out(JNIEnv *env, const mjModel *m, const mjData *d, jdoubleArray qpos, jdoubleArray qvel) {
    if (qpos != NULL) {
        (*env)->SetDoubleArrayRegion(env, qpos, 0, m->nq, d->qpos);
    }
    if (qvel != NULL) {
        (*env)->SetDoubleArrayRegion(env, qvel, 0, m->nv, d->qvel);
    }
}

JNIEXPORT void JNICALL Java_io_metastream_mujoco_MujocoNative_reset(JNIEnv *env, jclass cls, jlong mh, jlong dh,
                                                                   jdoubleArray qposNoise, jdoubleArray qvelNoise,
                                                                   jdoubleArray qposOut, jdoubleArray qvelOut) {
    (void) cls;
    const mjModel *m = (const mjModel *) (intptr_t) mh;
    mjData *d = (mjData *) (intptr_t) dh;
    if (!check_len(env, qposNoise, m->nq, "qposNoise") || !check_len(env, qvelNoise, m->nv, "qvelNoise")
        || !check_len(env, qposOut, m->nq, "qposOut") || !check_len(env, qvelOut, m->nv, "qvelOut")) {
        return;
    }
    jmp_buf jump;
    if (setjmp(jump) == 0) {
        tl_jump = &jump;
        mj_resetData(m, d); /* qpos = qpos0, qvel = 0, time = 0, warnings cleared */
        if (qposNoise != NULL) {
            jdouble *noise = (*env)->GetPrimitiveArrayCritical(env, qposNoise, NULL);
            for (int i = 0; i < m->nq; i++) {
                d->qpos[i] += noise[i];
            }
            (*env)->ReleasePrimitiveArrayCritical(env, qposNoise, noise, JNI_ABORT);
        }
        if (qvelNoise != NULL) {
            jdouble *noise = (*env)->GetPrimitiveArrayCritical(env, qvelNoise, NULL);
            for (int i = 0; i < m->nv; i++) {
                d->qvel[i] += noise[i];
            }
            (*env)->ReleasePrimitiveArrayCritical(env, qvelNoise, noise, JNI_ABORT);
        }
        mj_forward(m, d); /* derived quantities consistent with the new state */
        tl_jump = NULL;
    } else {
        throw_mujoco(env, "MuJoCo error in reset: ", tl_error);
        return;
    }
    copy_state_out(env, m, d, qposOut, qvelOut);
}

static int has_nan(const mjtNum *x, int n) {
    for (int i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            return 1;
        }
    }
    return 0;
}

JNIEXPORT jint JNICALL Java_io_metastream_mujoco_MujocoNative_step(JNIEnv *env, jclass cls, jlong mh, jlong dh,
                                                                  jdoubleArray ctrl, jint frameSkip,
                                                                  jdoubleArray qposOut, jdoubleArray qvelOut) {
    (void) cls;
    const mjModel *m = (const mjModel *) (intptr_t) mh;
    mjData *d = (mjData *) (intptr_t) dh;
    if (ctrl == NULL || !check_len(env, ctrl, m->nu, "ctrl") || !check_len(env, qposOut, m->nq, "qposOut")
        || !check_len(env, qvelOut, m->nv, "qvelOut")) {
        if (ctrl == NULL) {
            throw_illegal_argument(env, "ctrl is null");
        }
        return 0;
    }
    if (frameSkip < 1) {
        throw_illegal_argument(env, "frameSkip must be >= 1");
        return 0;
    }
    volatile int flags = 0;
    (*env)->GetDoubleArrayRegion(env, ctrl, 0, m->nu, d->ctrl);
    if (has_nan(d->ctrl, m->nu)) {
        flags |= FLAG_NAN | FLAG_BADCTRL;
    }
    for (int w = 0; w < mjNWARNING; w++) {
        d->warning[w].number = 0;
    }
    jmp_buf jump;
    if (setjmp(jump) == 0) {
        tl_jump = &jump;
        for (int k = 0; k < frameSkip; k++) {
            mj_step(m, d);
            if (!(flags & FLAG_NAN) && (has_nan(d->qacc, m->nv) || has_nan(d->qpos, m->nq) || has_nan(d->qvel, m->nv))) {
                flags |= FLAG_NAN;
            }
        }
        tl_jump = NULL;
    } else {
        throw_mujoco(env, "MuJoCo error in mj_step: ", tl_error);
        return 0;
    }
    if (d->warning[mjWARN_BADQACC].number > 0) flags |= FLAG_BADQACC;
    if (d->warning[mjWARN_BADQPOS].number > 0) flags |= FLAG_BADQPOS;
    if (d->warning[mjWARN_BADQVEL].number > 0) flags |= FLAG_BADQVEL;
    if (d->warning[mjWARN_BADCTRL].number > 0) flags |= FLAG_BADCTRL;
    if (d->warning[mjWARN_INERTIA].number > 0 || d->warning[mjWARN_CONTACTFULL].number > 0
        || d->warning[mjWARN_CNSTRFULL].number > 0) {
        flags |= FLAG_OTHER_WARNING;
    }
    if (has_nan(d->qpos, m->nq) || has_nan(d->qvel, m->nv)) {
        flags |= FLAG_NAN;
    }
    copy_state_out(env, m, d, qposOut, qvelOut);
    return flags;
}

/* Raw benchmark helper: n steps with the given fixed control, no JNI per step. */
JNIEXPORT jdouble JNICALL Java_io_metastream_mujoco_MujocoNative_benchmarkSteps(JNIEnv *env, jclass cls, jlong mh,
                                                                               jlong dh, jint n) {
    (void) cls;
    const mjModel *m = (const mjModel *) (intptr_t) mh;
    mjData *d = (mjData *) (intptr_t) dh;
    volatile unsigned int s = 12345u;
    jmp_buf jump;
    if (setjmp(jump) == 0) {
        tl_jump = &jump;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m->nu; j++) {
                s = s * 1664525u + 1013904223u;
                d->ctrl[j] = ((s >> 8) / 8388608.0) - 1.0;
            }
            mj_step(m, d);
        }
        tl_jump = NULL;
    } else {
        throw_mujoco(env, "MuJoCo error in benchmark: ", tl_error);
        return 0;
    }
    return d->time;
}
