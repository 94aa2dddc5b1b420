package de.vorzimmer.twilio;

import com.twilio.twiml.TwiML;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The text of a TwiML document built with the SDK's builders, written straight from the SDK's element tree: the
 * same characters as the SDK's {@link TwiML#toXml()} (a test holds them equal on every document the server sends and
 * on hostile text), without the DOM document, the JAXP parser configuration and the XSLT transformer that
 * {@code toXml()} creates for every document. Those were about a quarter of the CPU a {@code /twilio/voice} request
 * cost (docs/benchmarks.md §3).
 *
 * <p>Only what the writer knows to write the SDK's way is written here: an element whose class builds its own XML
 * (the SDK's bare text nodes), or text with characters the JDK's serializer writes as character references
 * (control characters, line breaks in attributes, surrogates), makes the whole document go through
 * {@code toXml()} as before. So a document the writer cannot match still comes out right, only slower.
 */
final class Twiml {
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    /** The SDK's element accessors this writer reads; null on an SDK without them (every document goes to toXml()). */
    private static final Sdk SDK = Sdk.find();

    /** Whether an element class writes itself the base class's way (its own {@code buildXmlElement}: no). */
    private static final ClassValue<Boolean> PLAIN = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            for (Class<?> c = type; c != TwiML.class; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.getName().equals("buildXmlElement")) return false;
                }
            }
            return true;
        }
    };

    static {
        // toXml() (the documents this writer leaves to it) asks JAXP for a new DocumentBuilderFactory and
        // TransformerFactory each time; unless these properties name an implementation, each lookup scans the class
        // path for service files (a voice document: ~60-100 µs, ~30 µs with the lookup direct). The JDK's own
        // implementations are what the lookup finds anyway; an operator's own -D setting is kept.
        useJdkFactory("javax.xml.parsers.DocumentBuilderFactory",
                "com.sun.org.apache.xerces.internal.jaxp.DocumentBuilderFactoryImpl");
        useJdkFactory("javax.xml.transform.TransformerFactory",
                "com.sun.org.apache.xalan.internal.xsltc.trax.TransformerFactoryImpl");
    }

    private static void useJdkFactory(String property, String implementation) {
        if (System.getProperty(property) == null) System.setProperty(property, implementation);
    }

    private record Sdk(MethodHandle body, MethodHandle attributes, Map<String, String> attributeNames) {
        @SuppressWarnings("unchecked")
        static Sdk find() {
            try {
                Method b = TwiML.class.getDeclaredMethod("getElementBody");
                Method a = TwiML.class.getDeclaredMethod("getElementAttributes");
                Field n = TwiML.class.getDeclaredField("attrNameMapper");
                b.setAccessible(true);
                a.setAccessible(true);
                n.setAccessible(true);
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                return new Sdk(lookup.unreflect(b), lookup.unreflect(a), Map.copyOf((Map<String, String>) n.get(null)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // another SDK version
            }
        }
    }

    private Twiml() {
    }

    /** The document's text, as {@link TwiML#toXml()} writes it. */
    static String xml(TwiML document) {
        return written(document).orElseGet(document::toXml);
    }

    /** The document's text if this writer can write it the SDK's way; empty: only {@link TwiML#toXml()} can. */
    static Optional<String> written(TwiML document) {
        if (SDK == null) return Optional.empty();
        StringBuilder out = new StringBuilder(512).append(DECLARATION);
        try {
            return write(document, out) ? Optional.of(out.toString()) : Optional.empty();
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            return Optional.empty(); // toXml() then says what is wrong with the document, as it always did
        }
    }

    /** Whether the writer wrote {@code node} (and everything below it) the SDK's way; false: use toXml(). */
    private static boolean write(TwiML node, StringBuilder out) throws Throwable {
        if (!PLAIN.get(node.getClass())) return false;
        String tag = node.getTagName();
        out.append('<').append(tag);
        // the DOM keeps an element's attributes ordered by name, and a later one of the same name replaces it
        @SuppressWarnings("unchecked")
        Map<String, String> own = (Map<String, String>) SDK.attributes().invoke(node);
        Map<String, String> attributes = new TreeMap<>();
        for (Map.Entry<String, String> e : own.entrySet()) {
            attributes.put(SDK.attributeNames().getOrDefault(e.getKey(), e.getKey()), e.getValue());
        }
        attributes.putAll(node.getOptions());
        for (Map.Entry<String, String> e : attributes.entrySet()) {
            out.append(' ').append(e.getKey()).append("=\"");
            if (!escape(e.getValue(), true, out)) return false;
            out.append('"');
        }
        String body = (String) SDK.body().invoke(node);
        if (body != null && body.isEmpty()) body = null; // an empty text node: the serializer writes <Tag/>
        if (body == null && node.getChildren().isEmpty()) {
            out.append("/>");
            return true;
        }
        out.append('>');
        if (body != null && !escape(body, false, out)) return false;
        for (TwiML child : node.getChildren()) {
            if (!write(child, out)) return false;
        }
        out.append("</").append(tag).append('>');
        return true;
    }

    /**
     * Appends {@code s} escaped as the JDK's serializer escapes it; false for a character it writes as a character
     * reference or rejects (then the caller leaves the document to toXml()).
     */
    private static boolean escape(String s, boolean attribute, StringBuilder out) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> {
                    if (attribute) out.append("&quot;");
                    else out.append(c);
                }
                default -> {
                    boolean plain = (c >= 0x20 && c < 0x7F) || (c >= 0xA0 && c < 0xD800) || (c >= 0xE000 && c <= 0xFFFD);
                    if (!plain) return false;
                    out.append(c);
                }
            }
        }
        return true;
    }
}
