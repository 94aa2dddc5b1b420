/**
 * What adapters report for the operator's metrics, without knowing how metrics are kept: small counters that the
 * composition root reads into Micrometer ({@code server.ServerMetrics}). No framework here; adapters and
 * infrastructure may use it, it uses nothing of the project.
 */
package de.vorzimmer.metrics;
