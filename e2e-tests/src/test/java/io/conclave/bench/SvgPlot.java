package io.conclave.bench;

import io.conclave.bench.Benchmark.Row;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Latency (log scale) against offered load for the mesh and the baseline, as a plain SVG file. */
final class SvgPlot {

    private static final int WIDTH = 720;
    private static final int HEIGHT = 440;
    private static final int LEFT = 70;
    private static final int RIGHT = 170;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;

    private SvgPlot() {
    }

    static String latencyVsLoad(List<Row> rows) {
        double maxRate = rows.stream().mapToDouble(Row::rate).max().orElse(1);
        double minMs = 10;
        double maxMs = Math.max(1000, rows.stream().mapToDouble(r -> r.latency().p99()).filter(v -> !Double.isNaN(v))
                .max().orElse(1000));
        double logMin = Math.log10(minMs);
        double logMax = Math.ceil(Math.log10(maxMs));
        StringBuilder svg = new StringBuilder(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\""
                        + " font-size=\"12\">%n<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>%n", WIDTH,
                HEIGHT));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"24\" font-size=\"14\">Contemplating N=8, fast"
                + " simulator: latency against offered load</text>%n", LEFT));
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\""
                + " stroke=\"black\"/>%n", LEFT, TOP, plotW, plotH));
        for (int e = (int) logMin; e <= logMax; e++) {
            double y = TOP + plotH * (1 - (e - logMin) / (logMax - logMin));
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s ms</text>%n", LEFT, LEFT + plotW, y, y,
                    LEFT - 6, y + 4, (long) Math.pow(10, e)));
        }
        double xStep = maxRate <= 50 ? 10 : 25;
        for (double r = 0; r <= maxRate + 1e-9; r += xStep) {
            double x = LEFT + plotW * r / maxRate;
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%.0f</text>%n", x,
                    TOP + plotH + 18, r));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">offered load"
                + " (requests/s)</text>%n", LEFT + plotW / 2, HEIGHT - 10));
        series(svg, rows, "mesh", r -> r.latency().p50(), "#1f77b4", "", "mesh p50", 0, maxRate, logMin, logMax);
        series(svg, rows, "mesh", r -> r.latency().p99(), "#1f77b4", "6,4", "mesh p99", 1, maxRate, logMin, logMax);
        series(svg, rows, "baseline", r -> r.latency().p50(), "#d62728", "", "baseline p50", 2, maxRate, logMin,
                logMax);
        series(svg, rows, "baseline", r -> r.latency().p99(), "#d62728", "6,4", "baseline p99", 3, maxRate, logMin,
                logMax);
        return svg.append("</svg>\n").toString();
    }

    private static void series(StringBuilder svg, List<Row> rows, String system, ToDoubleFunction<Row> value,
            String color, String dash, String label, int legendIndex, double maxRate, double logMin, double logMax) {
        int plotW = WIDTH - LEFT - RIGHT;
        int plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder points = new StringBuilder();
        for (Row row : rows) {
            double v = value.applyAsDouble(row);
            if (!row.system().equals(system) || Double.isNaN(v)) {
                continue;
            }
            double x = LEFT + plotW * row.rate() / maxRate;
            double clamped = Math.max(Math.log10(Math.max(v, 1e-3)), logMin);
            double y = TOP + plotH * (1 - (clamped - logMin) / (logMax - logMin));
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", x, y,
                    color));
        }
        svg.append(String.format(Locale.ROOT, "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\""
                + " stroke-dasharray=\"%s\"/>%n", points.toString().trim(), color, dash));
        int ly = TOP + 20 + legendIndex * 20;
        int lx = WIDTH - RIGHT + 15;
        svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\""
                + " stroke-width=\"2\" stroke-dasharray=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>%n", lx, lx + 30, ly,
                ly, color, dash, lx + 36, ly + 4, label));
    }
}
