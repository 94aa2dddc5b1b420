package de.vorzimmer.book;


import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Supplier;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CommentEvent;
import org.yaml.snakeyaml.events.DocumentEndEvent;
import org.yaml.snakeyaml.events.DocumentStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingEndEvent;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceEndEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;
import org.yaml.snakeyaml.events.StreamEndEvent;
import org.yaml.snakeyaml.events.StreamStartEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Composes a YAML node tree whose marks keep line and column but not the text around them.
 *
 * <p>SnakeYAML's marks point into the reader's buffer window, so a composed tree holds on to a copy of the
 * whole document several times over: a 10,000-client book (about 40 MB of YAML) did not fit in 512 MB of heap.
 * Syntax errors are raised by the parser below this layer and still show the text where they occur.
 */
final class CompactYaml {
    private static final int[] NO_TEXT = new int[0];

    private CompactYaml() {
    }

    static Node compose(String text, LoaderOptions options, Resolver resolver) {
        Parser parser = new LightMarks(new ParserImpl(new StreamReader(new StringReader(text)), options));
        return new Composer(parser, resolver, options).getSingleNode();
    }

    /**
     * A document whose top-level sequence under {@code key} is handed out one item at a time, so only one item's
     * nodes are alive at once. {@code top} has that sequence empty when {@code streamed}; otherwise (the key is not
     * a sequence, or the document uses anchors, which may reach across items) {@code top} is the whole document and
     * the items are read from it as usual.
     */
    record Streamed(Node top, boolean streamed, Iterable<Node> items) {
    }

    /** First pass composes all but the items (and finds syntax errors anywhere); the second yields the items. */
    static Streamed composeStreaming(String text, LoaderOptions options, Supplier<Resolver> resolver, String key) {
        Skipping skipping = new Skipping(parser(text, options), key);
        Node top = new Composer(skipping, resolver.get(), options).getSingleNode();
        if (!skipping.skipped || skipping.anchors) {
            return new Streamed(compose(text, options, resolver.get()), false, List.of());
        }
        return new Streamed(top, true, items(text, options, resolver, key));
    }

    /**
     * As {@link #composeStreaming}, for text in {@link BookWriter}'s layout: no anchors and {@code key:} on a line of
     * its own as the last top-level key. The part before it is composed on its own (with an empty sequence for
     * {@code key}) and the items are read from the rest, so the document is scanned once, not twice. Line
     * numbers stay those of the whole text. Text in any other layout is read by {@link #composeStreaming}.
     */
    static Streamed composeWritten(String text, LoaderOptions options, Supplier<Resolver> resolver, String key) {
        int at = lastTopLevelKey(text, key);
        if (at < 0) return composeStreaming(text, options, resolver, key);
        String head = text.substring(0, at) + key + ": []\n";
        Node top = compose(head, options, resolver.get());
        int linesBefore = 0;
        for (int i = 0; i < at; i++) if (text.charAt(i) == '\n') linesBefore++;
        String rest = "\n".repeat(linesBefore) + text.substring(at);
        return new Streamed(top, true, items(rest, options, resolver, key));
    }

    /**
     * Where the line {@code key:} starts if it is the last top-level key (every later line is indented, a sequence
     * item at the left edge, a comment or empty; none starts another document), else -1.
     */
    static int lastTopLevelKey(String text, String key) {
        String line = key + ":";
        int at = text.startsWith(line + "\n") ? 0 : text.lastIndexOf("\n" + line + "\n");
        if (at < 0) return -1;
        if (at > 0) at++;
        int i = at + line.length() + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != ' ' && c != '-' && c != '#' && c != '\n' && c != '\r') return -1;
            if (documentStart(text, i)) return -1; // a second document: not the writer's layout
            int next = text.indexOf('\n', i);
            if (next < 0) break;
            i = next + 1;
        }
        return at;
    }

    /** Whether the line at {@code i} is a document start marker ({@code ---} alone or before a space). */
    private static boolean documentStart(String text, int i) {
        if (!text.startsWith("---", i)) return false;
        int after = i + 3;
        return after == text.length() || " \t\r\n".indexOf(text.charAt(after)) >= 0;
    }

    /** The items of the top-level sequence under {@code key}, each composed when it is asked for. */
    private static Iterable<Node> items(String text, LoaderOptions options, Supplier<Resolver> resolver, String key) {
        return () -> new Iterator<>() {
            private final Composer composer = new Composer(new Extracting(parser(text, options), key), resolver.get(),
                    options);

            @Override
            public boolean hasNext() {
                return composer.checkNode();
            }

            @Override
            public Node next() {
                if (!hasNext()) throw new NoSuchElementException();
                return composer.getNode();
            }
        };
    }

    private static Parser parser(String text, LoaderOptions options) {
        return new LightMarks(new ParserImpl(new StreamReader(new StringReader(text)), options));
    }

    /**
     * Follows where in the document an event stands: the stack holds, per open collection, whether it is a
     * mapping and whether its next node is a key.
     */
    private abstract static class Tracking implements Parser {
        final Parser parser;
        final String key;
        /** per open collection: [isMapping, expectKey] */
        final Deque<boolean[]> open = new ArrayDeque<>();
        boolean keyMatched;

        Tracking(Parser parser, String key) {
            this.parser = parser;
            this.key = key;
        }

        /** True when the event starts the value of {@code key} in the root mapping. */
        boolean startsItems(Event e) {
            return keyMatched && open.size() == 1 && e instanceof SequenceStartEvent;
        }

        void track(Event e) {
            if (e instanceof ScalarEvent || e instanceof AliasEvent) {
                boolean[] top = open.peek();
                boolean isKey = top != null && top[0] && top[1];
                keyMatched = isKey && open.size() == 1 && e instanceof ScalarEvent sc && key.equals(sc.getValue());
                afterNode();
            } else if (e instanceof MappingStartEvent || e instanceof SequenceStartEvent) {
                keyMatched = false;
                open.push(new boolean[] {e instanceof MappingStartEvent, true});
            } else if (e instanceof MappingEndEvent || e instanceof SequenceEndEvent) {
                open.pop();
                keyMatched = false;
                afterNode();
            }
        }

        private void afterNode() {
            boolean[] top = open.peek();
            if (top != null && top[0]) top[1] = !top[1];
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return peekEvent().is(choice);
        }
    }

    /** Passes the document on with the items of {@code key} left out; notes whether anchors occur. */
    private static final class Skipping extends Tracking {
        boolean skipped;
        boolean anchors;
        /** An event already taken from the parser: the end of a skipped sequence. */
        private Event stashed;

        Skipping(Parser parser, String key) {
            super(parser, key);
        }

        @Override
        public Event peekEvent() {
            return stashed != null ? stashed : parser.peekEvent();
        }

        @Override
        public Event getEvent() {
            Event e;
            if (stashed != null) {
                e = stashed;
                stashed = null;
            } else {
                e = parser.getEvent();
            }
            noteAnchor(e);
            if (startsItems(e)) {
                skipped = true;
                int depth = 1;
                while (depth > 0) {
                    Event inner = parser.getEvent();
                    noteAnchor(inner);
                    if (inner instanceof MappingStartEvent || inner instanceof SequenceStartEvent) depth++;
                    else if (inner instanceof MappingEndEvent || inner instanceof SequenceEndEvent) depth--;
                    if (depth == 0) stashed = inner;
                }
            }
            track(e);
            return e;
        }

        private void noteAnchor(Event e) {
            if (e instanceof AliasEvent || (e instanceof NodeEvent n && n.getAnchor() != null)) anchors = true;
        }
    }

    /** Presents each item of {@code key} as a document of its own, and nothing else. */
    private static final class Extracting extends Tracking {
        private final Deque<Event> ready = new ArrayDeque<>();
        private boolean started;
        private boolean finished;

        Extracting(Parser parser, String key) {
            super(parser, key);
        }

        @Override
        public Event peekEvent() {
            fill();
            return ready.peek();
        }

        @Override
        public Event getEvent() {
            fill();
            return ready.poll();
        }

        private void fill() {
            if (!ready.isEmpty() || finished) return;
            if (!started) {
                started = true;
                Event first = parser.peekEvent();
                ready.add(new StreamStartEvent(first.getStartMark(), first.getEndMark()));
                return;
            }
            while (ready.isEmpty()) {
                if (parser.peekEvent() instanceof StreamEndEvent) {
                    finished = true;
                    ready.add(parser.getEvent());
                    return;
                }
                Event e = parser.getEvent();
                if (startsItems(e)) {
                    track(e);
                    inItems = true;
                    continue;
                }
                if (inItems && open.size() == 2 && (e instanceof SequenceEndEvent)) {
                    inItems = false;
                    track(e);
                    continue;
                }
                if (inItems && open.size() == 2) {
                    // the start of one item: copy it whole as a document
                    ready.add(new DocumentStartEvent(e.getStartMark(), e.getStartMark(), false, null, Map.of()));
                    ready.add(e);
                    track(e);
                    if (e instanceof MappingStartEvent || e instanceof SequenceStartEvent) {
                        int depth = open.size();
                        while (open.size() >= depth) {
                            Event inner = parser.getEvent();
                            ready.add(inner);
                            track(inner);
                        }
                    }
                    ready.add(new DocumentEndEvent(e.getEndMark(), e.getEndMark(), false));
                    return;
                }
                track(e);
            }
        }

        private boolean inItems;
    }

    /** Passes the parser's events on with marks that carry only their position. */
    private static final class LightMarks implements Parser {
        private final Parser parser;
        private Event peeked;

        LightMarks(Parser parser) {
            this.parser = parser;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return parser.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            if (peeked == null) peeked = light(parser.peekEvent());
            return peeked;
        }

        @Override
        public Event getEvent() {
            Event e = peeked != null ? peeked : light(parser.peekEvent());
            parser.getEvent();
            peeked = null;
            return e;
        }

        private static Mark light(Mark m) {
            return m == null ? null : new Mark(m.getName(), m.getIndex(), m.getLine(), m.getColumn(), NO_TEXT, 0);
        }

        private static Event light(Event e) {
            if (e == null) return null;
            Mark s = light(e.getStartMark());
            Mark t = light(e.getEndMark());
            if (e instanceof ScalarEvent x) {
                return new ScalarEvent(x.getAnchor(), x.getTag(), x.getImplicit(), x.getValue(), s, t, x.getScalarStyle());
            } else if (e instanceof MappingStartEvent x) {
                return new MappingStartEvent(x.getAnchor(), x.getTag(), x.getImplicit(), s, t, x.getFlowStyle());
            } else if (e instanceof SequenceStartEvent x) {
                return new SequenceStartEvent(x.getAnchor(), x.getTag(), x.getImplicit(), s, t, x.getFlowStyle());
            } else if (e instanceof MappingEndEvent) {
                return new MappingEndEvent(s, t);
            } else if (e instanceof SequenceEndEvent) {
                return new SequenceEndEvent(s, t);
            } else if (e instanceof AliasEvent x) {
                return new AliasEvent(x.getAnchor(), s, t);
            } else if (e instanceof DocumentStartEvent x) {
                return new DocumentStartEvent(s, t, x.getExplicit(), x.getVersion(), x.getTags());
            } else if (e instanceof DocumentEndEvent x) {
                return new DocumentEndEvent(s, t, x.getExplicit());
            } else if (e instanceof StreamStartEvent) {
                return new StreamStartEvent(s, t);
            } else if (e instanceof StreamEndEvent) {
                return new StreamEndEvent(s, t);
            } else if (e instanceof CommentEvent x) {
                return new CommentEvent(x.getCommentType(), x.getValue(), s, t);
            }
            return e;
        }
    }
}
