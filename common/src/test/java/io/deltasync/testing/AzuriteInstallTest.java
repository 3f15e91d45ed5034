package io.deltasync.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness fails loudly, with npm's words and what to do, when Azurite cannot be installed. */
class AzuriteInstallTest {

  @TempDir Path dir;

  @Test
  void anUnreachableRegistryFailsWithNpmsOutputAndTheWayOut() throws Exception {
    Path npm = dir.resolve("fake-npm");
    Files.writeString(npm, """
        #!/bin/sh
        echo "npm error code EAI_AGAIN"
        echo "npm error request to https://registry.example/azurite failed, reason: getaddrinfo EAI_AGAIN"
        exit 1
        """);
    Files.setPosixFilePermissions(npm, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path target = dir.resolve("azurite");

    assertThatThrownBy(() -> Azurite.install(target, npm.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(npm + " install --prefix " + target + " --no-audit --no-fund"
            + " --loglevel=error azurite@3 failed with exit code 1: the npm registry may be"
            + " unreachable. Make it reachable, or set DELTASYNC_SKIP_AZURITE=1 to skip the"
            + " Azurite tests. npm said:")
        .hasMessageEndingWith("npm error code EAI_AGAIN" + System.lineSeparator()
            + "npm error request to https://registry.example/azurite failed, reason:"
            + " getaddrinfo EAI_AGAIN");
    assertThat(target.resolve("node_modules/.bin/azurite-blob")).doesNotExist();
  }

  @Test
  void aMissingNpmFailsSayingWhatToInstall() {
    Path missing = dir.resolve("no-such-npm");

    assertThatThrownBy(() -> Azurite.install(dir.resolve("azurite"), missing.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Azurite tests need npm (Node.js) to install azurite@3, and npm"
            + " could not be run: Cannot run program \"" + missing + "\"")
        .hasMessageEndingWith("Install Node.js 18+ with npm, or set DELTASYNC_SKIP_AZURITE=1 to"
            + " skip the Azurite tests");
  }

  @Test
  void anInstalledAzuriteIsReusedWithoutRunningNpm() throws Exception {
    Path target = dir.resolve("azurite");
    Path bin = target.resolve("node_modules/.bin/azurite-blob");
    Files.createDirectories(bin.getParent());
    Files.writeString(bin, "#!/bin/sh\n");
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));

    assertThat(Azurite.install(target, dir.resolve("no-such-npm").toString())).isEqualTo(bin);
  }
}
