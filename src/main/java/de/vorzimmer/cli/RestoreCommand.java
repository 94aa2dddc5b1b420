package de.vorzimmer.cli;

import de.vorzimmer.store.Backups;
import de.vorzimmer.store.DatabaseLease;
import de.vorzimmer.store.StoreException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vorzimmer restore FILE}: puts a backup back as the database named by {@code --db}. The backup must pass
 * {@code PRAGMA integrity_check} first; the target must not be in use (no server or command has it open: see
 * {@link DatabaseLease}); an existing database is replaced only with {@code --replace}.
 */
@Command(name = "restore", mixinStandardHelpOptions = true,
        description = "Restore the database from a backup FILE (checked first; refused while a server uses the database).")
final class RestoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    DbOption db;

    @Parameters(index = "0", paramLabel = "FILE", description = "The backup (written by vorzimmer backup).")
    Path file;

    @Option(names = "--replace", description = "Replace the database if it exists (its content is lost).")
    boolean replace;

    @Override
    public Integer call() {
        BackupCommand.refusePostgres(db.path(), "restore");
        try {
            Backups.check(file);
        } catch (Backups.Unusable e) {
            throw new BadInputException(e.getMessage() + "; nothing restored");
        }
        Path target = db.path();
        if (Files.exists(target) && !replace) {
            throw new BadInputException("database " + target + " exists; restore --replace replaces it (its content is "
                    + "lost), or restore into a new --db PATH");
        }
        try {
            Path parent = target.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
        } catch (java.io.IOException e) {
            throw new BadInputException("cannot create the folder for " + target + ": " + e);
        }
        DatabaseLease lease;
        try {
            lease = DatabaseLease.exclusive(target);
        } catch (StoreException e) {
            throw new BadInputException(e.getMessage());
        }
        if (lease == null) {
            throw new BadInputException("database " + target + " is in use (a server or a command has it open); stop "
                    + "the server first (systemctl stop vorzimmer); nothing restored");
        }
        try (lease) {
            Backups.Copy copy;
            try {
                copy = Backups.restore(file, target);
            } catch (Backups.Unusable e) {
                throw new BadInputException(e.getMessage() + "; nothing restored");
            }
            spec.commandLine().getOut().println("restore: " + file + " -> " + copy.file() + " (" + copy.bytes()
                    + " bytes, schema version " + copy.schemaVersion() + ", integrity ok)");
        }
        return Main.OK;
    }
}
