#!/usr/bin/perl
# SANDBOX BENCHMARK ONLY: a classic process AGI script as many PBX add-ons ship one (Asterisk forks and
# execs it for every call). It reads the AGI environment, looks the dialed line up in a small table and
# sets the same channel variables the Vorzimmer route script sets, one SET VARIABLE round trip each.
# Deliberately minimal (no CPAN modules, no database): the best case for a process per call.
use strict;
use warnings;
$| = 1;
my %env;
while (my $line = <STDIN>) {
    chomp $line;
    last if $line eq '';
    $env{$1} = $2 if $line =~ /^agi_(\w+):\s?(.*)$/;
}
my %clients = ('+49301234567' => ['mueller', 'Müller', 'Zahnarztpraxis Dr. Müller, guten Tag.']);
my $line = ($env{arg_1} // '') ne '' ? $env{arg_1} : ($env{extension} // '');
my $caller = $env{callerid} // '';
my ($id, $short, $greeting) = @{ $clients{$line} // ['c00042', 'Client 42', 'Praxis 42, guten Tag.'] };
sub set_var {
    my ($name, $value) = @_;
    $value =~ s/["\\\r\n]//g;
    print qq(SET VARIABLE $name "$value"\n);
    my $reply = <STDIN>;
    die "no reply to SET VARIABLE $name\n" unless defined $reply && $reply =~ /^200 /;
}
set_var('VZ_CLIENT', $id);
set_var('VZ_DISPLAY', "$short: $caller");
set_var('VZ_GREETING', $greeting);
set_var('VZ_TARGETS', 'PJSIP/anna&PJSIP/ben');
set_var('VZ_ACTION', 'screen');
exit 0;
