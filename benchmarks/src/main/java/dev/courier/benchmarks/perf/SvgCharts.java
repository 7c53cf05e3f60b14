package dev.courier.benchmarks.perf;

import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Hand-written SVG charts: the ratios per matrix cell (horizontal bars around 1.0), and the latency
 * distribution of the fixed-rate runs (latency against percentile, log scale on "nines").
 */
final class SvgCharts {

    private static final String COURIER_COLOR = "#1f77b4";
    private static final String KAFKA_COLOR = "#ff7f0e";
    private static final String[] METRIC_COLORS = {"#2ca02c", "#1f77b4", "#9467bd", "#d62728"};
    private static final String[] METRIC_NAMES = {"throughput (higher is better)", "CPU/record (lower is better)",
        "alloc/record (lower is better)", "p99 latency (lower is better)"};

    private SvgCharts() {
    }

    static String ratios(List<CellSummary> summaries, String title) {
        int labelWidth = 330;
        int plotWidth = 520;
        int barHeight = 7;
        int rowHeight = 4 * barHeight + 10;
        int top = 70;
        int height = top + summaries.size() * rowHeight + 40;
        double maxRatio = 2.0;
        for (CellSummary s : summaries) {
            for (double v : values(s)) {
                if (Double.isFinite(v)) {
                    maxRatio = Math.max(maxRatio, Math.min(v, 4.0));
                }
            }
        }
        double scale = plotWidth / maxRatio;
        StringBuilder svg = header(labelWidth + plotWidth + 40, height);
        text(svg, 10, 22, 16, "bold", title + " (ratios of medians)");
        for (int m = 0; m < METRIC_NAMES.length; m++) {
            int x = 10 + m * 215;
            svg.append(String.format(Locale.ROOT, "<rect x='%d' y='36' width='12' height='10' fill='%s'/>%n", x,
                    METRIC_COLORS[m]));
            text(svg, x + 16, 45, 11, "normal", METRIC_NAMES[m]);
        }
        for (double tick = 0; tick <= maxRatio + 1e-9; tick += 0.5) {
            double x = labelWidth + tick * scale;
            String stroke = Math.abs(tick - 1.0) < 1e-9 ? "#000" : "#ddd";
            svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='%s'/>%n", x, top - 6, x,
                    height - 30, stroke));
            text(svg, x - 8, height - 16, 11, "normal", String.format(Locale.ROOT, "%.1f", tick));
        }
        int y = top;
        for (CellSummary s : summaries) {
            text(svg, 10, y + 2 * barHeight + 4, 11, "normal", s.cell().label());
            double[] values = values(s);
            for (int m = 0; m < values.length; m++) {
                double v = values[m];
                if (!Double.isFinite(v)) {
                    continue;
                }
                double w = Math.min(v, maxRatio) * scale;
                svg.append(String.format(Locale.ROOT,
                        "<rect x='%d' y='%d' width='%.1f' height='%d' fill='%s'><title>%s: %.2f</title></rect>%n",
                        labelWidth, y + m * barHeight, w, barHeight - 1, METRIC_COLORS[m], METRIC_NAMES[m], v));
                text(svg, labelWidth + w + 3, y + m * barHeight + barHeight - 1, 8, "normal",
                        String.format(Locale.ROOT, "%.2f", v));
            }
            y += rowHeight;
        }
        return svg.append("</svg>\n").toString();
    }

    private static double[] values(CellSummary s) {
        return new double[] {s.cell().fixedRate() ? Double.NaN : s.throughputRatio(), s.cpuRatio(), s.allocationRatio(),
            s.p99Ratio()};
    }

    /** Latency (ms, log scale) against percentile, plotted on 1/(1-p) (log scale), per client and cell. */
    static String latency(List<CellSummary> fixedRate) {
        int width = 760;
        int height = 420;
        int left = 70;
        int right = 30;
        int top = 50;
        int bottom = 60;
        double maxNines = 5; // up to 99.999%
        double minMs = Double.MAX_VALUE;
        double maxMs = 0;
        for (CellSummary s : fixedRate) {
            for (ClientKind client : ClientKind.values()) {
                Histogram h = s.mergedLatency(client);
                if (h != null) {
                    minMs = Math.min(minMs, Math.max(0.01, h.getValueAtPercentile(0) / 1000.0));
                    maxMs = Math.max(maxMs, h.getMaxValue() / 1000.0);
                }
            }
        }
        double logMin = Math.floor(Math.log10(minMs));
        double logMax = Math.ceil(Math.log10(Math.max(maxMs, minMs * 10)));
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        StringBuilder svg = header(width, height);
        text(svg, 10, 22, 16, "bold", "Latency distribution at a fixed rate (send to acknowledgement)");
        for (int n = 0; n <= maxNines; n++) {
            double x = left + n / maxNines * plotW;
            svg.append(String.format(Locale.ROOT, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ddd'/>%n", x, top, x,
                    top + plotH));
            String label = n == 0 ? "0%" : n == 1 ? "90%" : "99." + "9".repeat(n - 2) + "%";
            text(svg, x - 14, top + plotH + 16, 11, "normal", label);
        }
        for (double e = logMin; e <= logMax; e++) {
            double y = top + plotH - (e - logMin) / (logMax - logMin) * plotH;
            svg.append(String.format(Locale.ROOT, "<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>%n", left, y,
                    left + plotW, y));
            text(svg, 8, y + 4, 11, "normal", formatMs(Math.pow(10, e)) + " ms");
        }
        text(svg, left + plotW / 2 - 30, height - 20, 12, "normal", "percentile");
        String[] dashes = {"", "6,3", "2,2"};
        int legendY = 36;
        int series = 0;
        for (int c = 0; c < fixedRate.size(); c++) {
            CellSummary s = fixedRate.get(c);
            for (ClientKind client : ClientKind.values()) {
                Histogram h = s.mergedLatency(client);
                if (h == null) {
                    continue;
                }
                String color = client == ClientKind.COURIER ? COURIER_COLOR : KAFKA_COLOR;
                StringBuilder points = new StringBuilder();
                for (double nines = 0; nines <= maxNines + 1e-9; nines += 0.05) {
                    double percentile = 100 * (1 - Math.pow(10, -nines));
                    double ms = Math.max(Math.pow(10, logMin), h.getValueAtPercentile(percentile) / 1000.0);
                    double x = left + nines / maxNines * plotW;
                    double y = top + plotH - (Math.log10(ms) - logMin) / (logMax - logMin) * plotH;
                    points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                }
                svg.append(String.format(Locale.ROOT,
                        "<polyline fill='none' stroke='%s' stroke-width='2' stroke-dasharray='%s' points='%s'/>%n", color,
                        dashes[c % dashes.length], points));
                int lx = left + 10 + (series % 2) * 340;
                int ly = legendY + 40 + (series / 2) * 14;
                svg.append(String.format(Locale.ROOT,
                        "<line x1='%d' y1='%d' x2='%d' y2='%d' stroke='%s' stroke-width='2' stroke-dasharray='%s'/>%n", lx,
                        ly - 4, lx + 20, ly - 4, color, dashes[c % dashes.length]));
                text(svg, lx + 24, ly, 10, "normal", client.displayName() + " " + s.cell().label()
                        + String.format(Locale.ROOT, " (p99 %.2f ms)", h.getValueAtPercentile(99) / 1000.0));
                series++;
            }
        }
        return svg.append("</svg>\n").toString();
    }

    private static String formatMs(double ms) {
        return ms >= 1 ? String.format(Locale.ROOT, "%.0f", ms) : String.format(Locale.ROOT, "%s", ms);
    }

    private static StringBuilder header(int width, int height) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d' "
                        + "font-family='sans-serif'>%n<rect width='100%%' height='100%%' fill='white'/>%n",
                width, height, width, height));
        return svg;
    }

    private static void text(StringBuilder svg, double x, double y, int size, String weight, String text) {
        svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%.1f' font-size='%d' font-weight='%s'>%s</text>%n", x, y,
                size, weight, text.replace("&", "&amp;").replace("<", "&lt;")));
    }
}
