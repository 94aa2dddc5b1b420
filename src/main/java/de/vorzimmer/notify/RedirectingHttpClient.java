package de.vorzimmer.notify;


import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * The Twilio SDK's HTTP client as the outbox and the console's call control need it.
 *
 * <ul>
 *   <li><b>One request per call.</b> The SDK's {@link HttpClient#reliableRequest} repeats a request that got a 5xx
 *       up to three times, 100 ms apart, and Apache HttpClient retries 429/503 by itself. A POST that creates a
 *       message must be sent once per outbox attempt, so both are off: the outbox retries, with backoff, jitter,
 *       a give-up time and a record of every attempt.</li>
 *   <li><b>Time-outs</b> for connect, socket and response, so a hanging provider costs one bounded attempt.</li>
 *   <li><b>Base URL.</b> The SDK builds absolute URLs ({@code https://api.twilio.com/2010-04-01/Accounts/{Sid}/
 *       Messages.json}: {@code Request(POST, Domains.API, path)} and {@code IRequest.buildURL}, which also folds
 *       region and edge into the host). With a base URL (config {@code twilio.api-url}), each request is copied
 *       with its scheme, host and port replaced (path, query, form, headers and credentials kept) and handed to
 *       {@link NetworkHttpClient}; without one, requests go where the SDK sends them.</li>
 * </ul>
 */
public final class RedirectingHttpClient extends HttpClient {
    private final URI base;
    private final NetworkHttpClient delegate;

    /**
     * @param base    scheme, host and port every request goes to instead (path ignored), or null for Twilio itself
     * @param timeout connect, socket and response time-out of one request
     */
    public RedirectingHttpClient(URI base, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout == null");
        if (base != null && (base.getScheme() == null || base.getHost() == null)) {
            throw new IllegalArgumentException("base URL '" + base + "' needs a scheme and a host, e.g. http://127.0.0.1:8089");
        }
        this.base = base;
        Timeout t = Timeout.ofMilliseconds(timeout.toMillis());
        HttpClientBuilder builder = HttpClientBuilder.create()
                .useSystemProperties()
                .disableAutomaticRetries()
                .setDefaultRequestConfig(RequestConfig.custom().setConnectionRequestTimeout(t).setResponseTimeout(t).build())
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(t).setSoKeepAlive(true).build())
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(t).setSocketTimeout(t).build())
                        .setMaxConnPerRoute(4).setMaxConnTotal(8)
                        .build());
        this.delegate = new NetworkHttpClient(builder);
    }

    /**
     * The SDK's REST client for the account with this HTTP client underneath: one request per call, these
     * time-outs, and every request sent to {@code base} instead of Twilio when it is not null.
     */
    public static TwilioRestClient restClient(String accountSid, String authToken, URI base, Duration timeout) {
        Objects.requireNonNull(accountSid, "accountSid == null");
        Objects.requireNonNull(authToken, "authToken == null");
        return new TwilioRestClient.Builder(accountSid, authToken)
                .httpClient(new RedirectingHttpClient(base, timeout))
                .build();
    }

    /** The URL a request for {@code sdkUrl} really goes to. */
    public String target(String sdkUrl) {
        if (base == null) return sdkUrl;
        URI u = URI.create(sdkUrl);
        String authority = base.getHost() + (base.getPort() >= 0 ? ":" + base.getPort() : "");
        return base.getScheme() + "://" + authority + u.getRawPath() + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    /** Exactly one attempt: the outbox, not the SDK, decides about retries. */
    @Override
    public Response reliableRequest(Request request) {
        return makeRequest(request);
    }

    @Override
    public Response reliableRequest(Request request, int[] retryCodes, int retries, long delayMillis) {
        return makeRequest(request);
    }

    @Override
    public Response makeRequest(Request request) {
        return delegate.makeRequest(base == null ? request : redirect(request));
    }

    private Request redirect(Request r) {
        // constructURL() applies region and edge the way the SDK would; the copy has neither, so its URL is final.
        Request copy = new Request(r.getMethod(), target(r.constructURL().toString().replaceFirst("\\?.*$", "")));
        if (r.getAuthStrategy() != null) copy.setAuth(r.getAuthStrategy());
        else if (r.getUsername() != null) copy.setAuth(r.getUsername(), r.getPassword());
        if (r.getContentType() != null) copy.setContentType(r.getContentType());
        if (r.getBody() != null) copy.setBody(r.getBody());
        if (r.getFormParameters() != null) copy.setFormParameters(r.getFormParameters());
        copy.setUserAgentExtensions(r.getUserAgentExtensions());
        copyParams(r.getQueryParams(), copy::addQueryParam);
        copyParams(r.getPostParams(), copy::addPostParam);
        copyParams(r.getHeaderParams(), copy::addHeaderParam);
        return copy;
    }

    private interface ParamSink {
        void add(String name, String value);
    }

    private static void copyParams(Map<String, List<String>> params, ParamSink sink) {
        for (Map.Entry<String, List<String>> e : params.entrySet()) {
            for (String v : e.getValue()) sink.add(e.getKey(), v);
        }
    }
}
