package de.vorzimmer.routing;

import de.vorzimmer.book.Book;
import de.vorzimmer.book.Client;
import de.vorzimmer.book.Contact;
import de.vorzimmer.book.NumberPattern;
import de.vorzimmer.book.Secretary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An immutable, indexed view of a book: lines and contact numbers looked up in constant time. */
public final class BookIndex {
    private final Book book;
    private final long version;
    private final Map<String, ClientEntry> byId;
    private final Map<String, ClientEntry> byLine;

    private BookIndex(Book book, long version) {
        this.book = book;
        this.version = version;
        this.byId = new HashMap<>(book.clients().size() * 2);
        this.byLine = new HashMap<>(book.clients().size() * 3);
        for (Client c : book.clients()) {
            ClientEntry e = new ClientEntry(c);
            byId.put(c.id(), e);
            for (String line : c.lines()) byLine.put(line, e);
        }
    }

    /** An index of a book that is not (or not yet) a stored version. */
    public static BookIndex of(Book book) {
        return new BookIndex(book, 0);
    }

    /** An index of stored book version {@code version}. */
    public static BookIndex of(Book book, long version) {
        return new BookIndex(book, version);
    }

    public Book book() {
        return book;
    }

    /** The id of the stored book version this index was built from; 0 for a book that was not stored. */
    public long version() {
        return version;
    }

    public ClientEntry client(String id) {
        return byId.get(id);
    }

    public ClientEntry byLine(String e164) {
        return byLine.get(e164);
    }

    public Collection<ClientEntry> clients() {
        return byId.values();
    }

    public List<Secretary> secretaries() {
        return book.secretaries();
    }

    /** One client with its contacts indexed: exact numbers in a map, prefixes longest first. */
    public static final class ClientEntry {
        private final Client client;
        private final Map<String, Contact> exact = new HashMap<>();
        private final PrefixEntry[] prefixes;

        ClientEntry(Client client) {
            this.client = client;
            List<PrefixEntry> p = new ArrayList<>();
            for (Contact contact : client.contacts()) {
                for (NumberPattern n : contact.numbers()) {
                    if (n.prefix()) p.add(new PrefixEntry(n.digits(), contact));
                    else exact.putIfAbsent(n.digits(), contact);
                }
            }
            prefixes = p.toArray(new PrefixEntry[0]);
            Arrays.sort(prefixes, Comparator.comparingInt((PrefixEntry e) -> e.digits.length()).reversed());
        }

        public Client client() {
            return client;
        }

        /** The most specific contact for an E.164 number: exact beats pattern, longer pattern beats shorter. */
        public Contact contactFor(String e164) {
            Contact c = exact.get(e164);
            if (c != null) return c;
            for (PrefixEntry p : prefixes) {
                if (e164.startsWith(p.digits)) return p.contact;
            }
            return null;
        }

        private record PrefixEntry(String digits, Contact contact) {
        }
    }
}
