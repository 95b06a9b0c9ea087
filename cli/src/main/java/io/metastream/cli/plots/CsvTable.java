package io.metastream.cli.plots;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A comma-separated file with a header line, as the run directory's CSVs are written (no quoting:
 * no field contains a comma). Cells are looked up by column name; errors name the file, line and
 * column.
 */
final class CsvTable {

    private final Path file;
    private final List<String> header;
    private final List<String[]> rows;

    private CsvTable(Path file, List<String> header, List<String[]> rows) {
        this.file = file;
        this.header = header;
        this.rows = rows;
    }

    static CsvTable read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            throw new IOException(file + ": empty, expected a header line");
        }
        List<String> header = List.of(lines.get(0).trim().split(","));
        List<String[]> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] cells = line.split(",", -1);
            if (cells.length != header.size()) {
                throw new IOException(file + " line " + (i + 1) + ": " + cells.length + " fields, the header has "
                        + header.size());
            }
            rows.add(cells);
        }
        return new CsvTable(file, header, rows);
    }

    int size() {
        return rows.size();
    }

    boolean has(String column) {
        return header.contains(column);
    }

    String text(int row, String column) {
        int c = header.indexOf(column);
        if (c < 0) {
            throw new IllegalArgumentException(file + ": no column '" + column + "' in header " + header);
        }
        return rows.get(row)[c];
    }

    /** The cell as text, or {@code fallback} when the file has no such column. */
    String text(int row, String column, String fallback) {
        return has(column) ? text(row, column) : fallback;
    }

    double number(int row, String column) {
        String s = text(row, column);
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(file + " data row " + (row + 1) + ": column '" + column
                    + "' is not a number: '" + s + "'", e);
        }
    }

    /** The cell as a number, or {@code fallback} when the file has no such column. */
    double number(int row, String column, double fallback) {
        return has(column) ? number(row, column) : fallback;
    }
}
