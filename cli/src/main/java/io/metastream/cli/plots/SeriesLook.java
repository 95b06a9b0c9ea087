package io.metastream.cli.plots;

import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Locale;

/**
 * Colours and line styles shared by the plots: one colour per series (Okabe–Ito, readable with
 * colour-blindness), solid lines with markers for ours, dashed lines for the paper's values, a
 * translucent band for ± std.
 */
final class SeriesLook {

    static final Color BLUE = new Color(0, 114, 178);
    static final Color VERMILION = new Color(213, 94, 0);
    static final Color GREEN = new Color(0, 158, 115);
    static final Color ORANGE = new Color(230, 159, 0);
    static final Color PURPLE = new Color(204, 121, 167);
    static final Color SKY = new Color(86, 180, 233);
    static final Color GREY = new Color(110, 110, 110);
    static final Color YELLOW = new Color(240, 228, 66);
    static final Color BLACK = new Color(0, 0, 0);

    private static final Color TRANSPARENT = new Color(0, 0, 0, 0);
    private static final int BAND_ALPHA = 60;

    private SeriesLook() {
    }

    static void ours(XYSeries s, Color c) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(c);
        s.setLineStyle(new BasicStroke(2.2f));
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(c);
    }

    static void paper(XYSeries s, Color c) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(c);
        s.setLineStyle(new BasicStroke(1.6f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                SeriesLines.DASH_DASH.getDashArray(), 0f));
        s.setMarker(SeriesMarkers.NONE);
    }

    /** A closed polygon (upper edge left to right, lower edge back), filled, not in the legend. */
    static void band(XYSeries s, Color c) {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), BAND_ALPHA));
        s.setLineColor(TRANSPARENT);
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
    }

    /** "alg1" → "Alg(1)"; other names unchanged. */
    static String alg(String alg) {
        return alg.toLowerCase(Locale.ROOT).matches("alg\\d+") ? "Alg(" + alg.substring(3) + ")" : alg;
    }
}
