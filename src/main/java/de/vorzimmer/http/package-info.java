/**
 * What the HTTP front ends share (the console's JSON API and the Twilio webhooks): how a failed request is
 * answered.
 */
package de.vorzimmer.http;
