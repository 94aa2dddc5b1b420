package de.vorzimmer.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import de.vorzimmer.routing.DecisionLog;
import de.vorzimmer.routing.LiveRouting;
import de.vorzimmer.store.Stores;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** Test helpers for serving the webhooks, talking to them as Twilio does and reading the TwiML they answer. */
final class TwilioHttp {
    private TwilioHttp() {
    }

    /**
     * A router with the webhooks mounted as the server mounts them (behind the signature filter), answering from
     * {@code store} with {@code routing}'s decisions; {@code refresh} runs after a status is set.
     */
    static Router webhooks(Vertx vertx, TwilioSettings settings, Stores store, LiveRouting routing, TwilioCallStore calls,
                           Clock clock, Runnable refresh) {
        Router router = Router.router(vertx);
        new TwilioWebhooks(vertx, settings, routing, DecisionLog.NONE, calls, MessageSink.into(store.messages(), clock),
                store.status(refresh), store.outbox()).mount(router);
        return router;
    }

    /** Serves {@code router} on 127.0.0.1, a free port. */
    static HttpServer serve(Vertx vertx, Router router) throws Exception {
        return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    }

    /** A client that speaks HTTP/1.1 as Twilio does. */
    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Posts {@code form} to {@code base + pathAndQuery} the way Twilio does, with {@code signature} unless null. */
    static HttpResponse<String> send(HttpClient http, String base, String pathAndQuery, Map<String, String> form,
                                     String signature) throws Exception {
        String body = form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
                .header("User-Agent", "TwilioProxy/1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (signature != null) b.header("X-Twilio-Signature", signature);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The TwiML document of a 200 answer (XML content type, {@code <Response>} root). */
    static Document twiml(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).get().asString().contains("xml");
        Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(r.body().getBytes(StandardCharsets.UTF_8)));
        assertThat(d.getDocumentElement().getTagName()).isEqualTo("Response");
        return d;
    }

    /** The one element at {@code xpath}; fails with the whole document if there are none or several. */
    static Element one(Document d, String xpath) throws Exception {
        List<Element> found = all(d, xpath);
        assertThat(found).as(xpath + " in " + xml(d)).hasSize(1);
        return found.get(0);
    }

    static List<Element> all(Document d, String xpath) throws Exception {
        NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, d, XPathConstants.NODESET);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) out.add((Element) nodes.item(i));
        return out;
    }

    /** The document as XML text, for failure messages. */
    static String xml(Document d) throws Exception {
        StringWriter w = new StringWriter();
        TransformerFactory.newInstance().newTransformer().transform(new DOMSource(d), new StreamResult(w));
        return w.toString();
    }
}
