/**
 * Live call state shared by the PBX adapters ({@code asterisk}, {@code twilio}) and the console: one message format
 * on the event bus, whichever phone system carries the call.
 */
package de.vorzimmer.calls;
