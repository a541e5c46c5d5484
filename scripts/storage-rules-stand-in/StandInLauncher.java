import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

/**
 * The Java face of Parley's deny-all Storage rules runtime stand-in. firebase-tools runs
 * `java -jar <STORAGE_EMULATOR_BINARY_PATH> serve`; this class runs the Node program named in
 * its jar's manifest (Parley-Node, Parley-Script) with the same arguments and the same stdio,
 * and exits with its exit code. The protocol itself lives in runtime.mjs.
 */
public final class StandInLauncher {
  public static void main(String[] args) throws Exception {
    File jar = new File(StandInLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Attributes manifest;
    try (JarFile file = new JarFile(jar)) {
      manifest = file.getManifest().getMainAttributes();
    }
    List<String> command = new ArrayList<>();
    command.add(manifest.getValue("Parley-Node"));
    command.add(manifest.getValue("Parley-Script"));
    command.addAll(Arrays.asList(args));
    Process runtime = new ProcessBuilder(command).inheritIO().start();
    Runtime.getRuntime().addShutdownHook(new Thread(runtime::destroy));
    System.exit(runtime.waitFor());
  }
}
