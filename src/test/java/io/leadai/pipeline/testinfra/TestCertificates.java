package io.leadai.pipeline.testinfra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed certificates for TLS settings in tests, made with the JDK's keytool. */
public final class TestCertificates {

    private TestCertificates() {
    }

    /** A PKCS12 keystore with one key pair (alias {@code client}) whose key has the store's password. */
    public static Path keystore(Path file, String password) {
        keytool("-genkeypair", "-alias", "client", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=lead-ai-pipeline", "-ext", "SAN=dns:localhost", "-storetype", "PKCS12",
                "-keystore", file.toString(), "-storepass", password);
        return file;
    }

    /** The keystore's certificate as a PEM file, as a CA file for a truststore of type PEM. */
    public static Path pemCertificate(Path keystore, String password, Path file) {
        keytool("-exportcert", "-rfc", "-alias", "client", "-keystore", keystore.toString(), "-storepass", password,
                "-file", file.toString());
        return file;
    }

    private static void keytool(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
        } catch (IOException e) {
            throw new IllegalStateException("keytool did not run", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
