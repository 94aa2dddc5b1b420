package de.vorzimmer.book;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

class CompactYamlTest {
    private static CompactYaml.Streamed stream(String yaml) {
        return CompactYaml.composeStreaming(yaml, BookLoader.loaderOptions(), BookLoader.BookResolver::new, "clients");
    }

    private static List<String> ids(Iterable<Node> items) {
        List<String> out = new ArrayList<>();
        for (Node n : items) {
            MappingNode m = (MappingNode) n;
            out.add(((ScalarNode) m.getValue().get(0).getValueNode()).getValue());
        }
        return out;
    }

    @Test
    void clientsAreHandedOutOneByOneAndLeftOutOfTheTop() {
        String yaml = """
                version: 1
                clients:
                  - id: a
                    contacts: [{name: x, numbers: ["1"]}]
                  - id: b
                  - {id: c, lines: [1, 2]}
                secretaries:
                  - id: s
                """;
        CompactYaml.Streamed doc = stream(yaml);

        assertThat(doc.streamed()).isTrue();
        MappingNode top = (MappingNode) doc.top();
        assertThat(top.getValue()).hasSize(3);
        assertThat(((SequenceNode) top.getValue().get(1).getValueNode()).getValue()).isEmpty();
        assertThat(((SequenceNode) top.getValue().get(2).getValueNode()).getValue()).hasSize(1);
        assertThat(ids(doc.items())).containsExactly("a", "b", "c");
    }

    @Test
    void nodesKeepTheirLineNumbers() {
        CompactYaml.Streamed doc = stream("version: 1\nclients:\n  - id: a\n  - id: b\n");

        List<Integer> lines = new ArrayList<>();
        doc.items().forEach(n -> lines.add(n.getStartMark().getLine()));
        assertThat(lines).containsExactly(2, 3);
    }

    @Test
    void aDocumentWithAnchorsIsReadWholeBecauseAliasesMayReachAcrossClients() {
        String yaml = """
                version: 1
                clients:
                  - &first {id: a}
                  - *first
                """;
        CompactYaml.Streamed doc = stream(yaml);

        assertThat(doc.streamed()).isFalse();
        assertThat(((SequenceNode) ((MappingNode) doc.top()).getValue().get(1).getValueNode()).getValue()).hasSize(2);
    }

    @Test
    void aNestedClientsKeyIsNotStreamed() {
        CompactYaml.Streamed doc = stream("version: 1\ndefaults:\n  clients: [1, 2]\n");

        assertThat(doc.streamed()).isFalse();
    }

    @Test
    void aSyntaxErrorInsideTheClientsIsFoundInTheFirstPass() {
        assertThrows(MarkedYAMLException.class, () -> stream("version: 1\nclients:\n  - id: a\n  - id: [b\n"));
    }

    @Test
    void theWrittenLayoutIsFoundOnlyWhenTheKeyIsLastAndAlone() {
        assertThat(CompactYaml.lastTopLevelKey("version: 1\nclients:\n  - id: a\n", "clients")).isEqualTo(11);
        assertThat(CompactYaml.lastTopLevelKey("clients:\n- id: a\n# end\n\n", "clients")).isZero();
        assertThat(CompactYaml.lastTopLevelKey("clients:\n  - id: a\nsecretaries: []\n", "clients")).isEqualTo(-1);
        assertThat(CompactYaml.lastTopLevelKey("version: 1\nclients: []\n", "clients")).isEqualTo(-1);
        assertThat(CompactYaml.lastTopLevelKey("defaults:\n  clients:\n    - 1\n", "clients")).isEqualTo(-1);
    }

    @Test
    void aWrittenBookReadsBackInOnePassWithTheSameLineNumbers() throws Exception {
        String yaml = "# comment\nversion: 1\nclients:\n  - id: a\n  - {id: b}\n";
        CompactYaml.Streamed doc = CompactYaml.composeWritten(yaml, BookLoader.loaderOptions(),
                BookLoader.BookResolver::new, "clients");

        assertThat(doc.streamed()).isTrue();
        assertThat(((SequenceNode) ((MappingNode) doc.top()).getValue().get(1).getValueNode()).getValue()).isEmpty();
        List<Integer> lines = new ArrayList<>();
        doc.items().forEach(n -> lines.add(n.getStartMark().getLine()));
        assertThat(lines).containsExactly(3, 4);
        assertThat(ids(doc.items())).containsExactly("a", "b");
    }

    @Test
    void theDemoBookAsWrittenLoadsBackEqualThroughTheOnePassReader() throws Exception {
        String demo;
        try (var in = getClass().getResourceAsStream("/demo/book.yaml")) {
            demo = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        Book book = BookLoader.load(demo, PinHasher.fast());
        String written = BookWriter.write(book);

        assertThat(CompactYaml.lastTopLevelKey(written, "clients")).isPositive();
        assertThat(BookLoader.loadWritten(written, PinHasher.fast())).isEqualTo(book);
        // the demo's plain PINs get new salts on each load, so compare all but the hashes
        assertThat(BookLoader.loadWritten(demo, PinHasher.fast())).as("any layout still loads")
                .usingRecursiveComparison().ignoringFieldsMatchingRegexes(".*pinHash").isEqualTo(book);
    }

    @Test
    void problemsInAWrittenBookAreStillAllReported() {
        String yaml = "version: 1\nclients:\n  - {id: a, name: A, lines: [\"abc\"]}\n  - {id: a, name: B, lines: [\"030 1\"]}\n";

        BookException e = assertThrows(BookException.class, () -> BookLoader.loadWritten(yaml, PinHasher.fast()));

        assertThat(e.problems()).hasSizeGreaterThanOrEqualTo(2);
    }
}
