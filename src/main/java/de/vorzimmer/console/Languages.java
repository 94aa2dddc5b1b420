package de.vorzimmer.console;

import java.util.List;
import java.util.Locale;

/** The console's languages and the pick from a browser's {@code Accept-Language}. */
public final class Languages {
    public static final List<String> SUPPORTED = List.of("de", "en");
    public static final String FALLBACK = "de";

    private Languages() {
    }

    /** The supported language the header prefers most (by q-value, then order), else {@link #FALLBACK}. */
    public static String pick(String acceptLanguage) {
        if (acceptLanguage == null || acceptLanguage.isBlank()) return FALLBACK;
        String best = null;
        double bestQ = 0;
        for (String part : acceptLanguage.split(",")) {
            String[] bits = part.trim().split(";");
            String tag = bits[0].trim().toLowerCase(Locale.ROOT);
            double q = 1.0;
            for (int i = 1; i < bits.length; i++) {
                String b = bits[i].trim();
                if (b.startsWith("q=")) {
                    try {
                        q = Double.parseDouble(b.substring(2));
                    } catch (NumberFormatException e) {
                        q = 0;
                    }
                }
            }
            String primary = tag.contains("-") ? tag.substring(0, tag.indexOf('-')) : tag;
            if (SUPPORTED.contains(primary) && q > bestQ) {
                best = primary;
                bestQ = q;
            }
        }
        return best == null ? FALLBACK : best;
    }
}
