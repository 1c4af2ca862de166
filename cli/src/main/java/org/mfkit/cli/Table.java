package org.mfkit.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A plain-text table: columns padded to their widest cell; numbers right-aligned. */
final class Table {
    private final String indent;
    private final String[] header;
    private final boolean[] right;
    private final List<String[]> rows = new ArrayList<>();
    private boolean showHeader = true;

    /** Column names; a name starting with '>' is right-aligned (the '>' is dropped). */
    Table(String indent, String... columns) {
        this.indent = indent;
        this.header = new String[columns.length];
        this.right = new boolean[columns.length];
        for (int c = 0; c < columns.length; c++) {
            right[c] = columns[c].startsWith(">");
            header[c] = right[c] ? columns[c].substring(1) : columns[c];
        }
    }

    /** Prints without the header line (for label/value lists). */
    Table withoutHeader() {
        showHeader = false;
        return this;
    }

    Table row(Object... cells) {
        String[] row = new String[header.length];
        for (int c = 0; c < header.length; c++) row[c] = c < cells.length && cells[c] != null ? cells[c].toString() : "";
        rows.add(row);
        return this;
    }

    void print(PrintWriter out) {
        int[] width = new int[header.length];
        if (showHeader) for (int c = 0; c < header.length; c++) width[c] = header[c].length();
        for (String[] row : rows) for (int c = 0; c < row.length; c++) width[c] = Math.max(width[c], row[c].length());
        if (showHeader) line(out, header, width);
        for (String[] row : rows) line(out, row, width);
        out.flush();
    }

    private void line(PrintWriter out, String[] cells, int[] width) {
        StringBuilder sb = new StringBuilder(indent);
        for (int c = 0; c < cells.length; c++) {
            boolean last = c == cells.length - 1;
            String cell = cells[c];
            int pad = width[c] - cell.length();
            if (right[c]) sb.append(" ".repeat(pad)).append(cell);
            else sb.append(cell).append(last ? "" : " ".repeat(pad));
            if (!last) sb.append("  ");
        }
        out.println(sb.toString().stripTrailing());
    }
}
