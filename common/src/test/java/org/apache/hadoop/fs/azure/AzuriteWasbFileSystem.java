package org.apache.hadoop.fs.azure;

import com.microsoft.azure.storage.CloudStorageAccount;
import com.microsoft.azure.storage.StorageCredentials;
import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.conf.Configuration;

/**
 * Test-only: Hadoop 3.3.4's own {@code wasb://} file system in its storage-emulator mode, unchanged
 * except that it talks to a local Azurite on the port {@link #ENDPOINT_KEY} names.
 *
 * <p>Why it exists: hadoop-azure 3.3.4 has no endpoint setting. Its emulator mode ({@code
 * fs.azure.storage.emulator.account.name}) always connects to {@code http://127.0.0.1:10000}
 * ({@code CloudStorageAccount.getDevelopmentStorageAccount()}), which would allow one Azurite per
 * machine and clash between concurrent test runs. Only the blob client's base URI is swapped, in
 * the storage-interaction layer that hadoop-azure itself lets tests replace; everything above it
 * (emulator path-style keys, blob layout, folder markers, rename by copy and delete, leases,
 * listing, the Shared Key signing Azurite verifies) is the real code. Emulator mode is needed, not
 * just convenient: only with it does wasb parse path-style blob URIs
 * ({@code /devstoreaccount1/<container>/<key>}) into the right keys.
 */
public class AzuriteWasbFileSystem extends NativeAzureFileSystem {

  /** Hadoop setting: the Azurite account URL, e.g. {@code http://127.0.0.1:41234/devstoreaccount1}. */
  public static final String ENDPOINT_KEY = "deltasync.test.azurite.blob.endpoint";

  private final RedirectedStorage storage;

  public AzuriteWasbFileSystem() {
    this(new RedirectedStorage());
  }

  private AzuriteWasbFileSystem(RedirectedStorage storage) {
    super(storeOver(storage));
    this.storage = storage;
  }

  private static AzureNativeFileSystemStore storeOver(RedirectedStorage storage) {
    AzureNativeFileSystemStore store = new AzureNativeFileSystemStore();
    store.setAzureStorageInteractionLayer(storage);
    return store;
  }

  @Override
  public void initialize(URI uri, Configuration conf) throws IOException {
    String endpoint = conf.get(ENDPOINT_KEY);
    if (endpoint == null || endpoint.isBlank()) {
      throw new IOException("fs.wasb.impl is " + getClass().getName() + " but " + ENDPOINT_KEY
          + " is not set: configure Hadoop with Azurite's settings (io.deltasync.testing.Azurite)");
    }
    storage.endpoint = URI.create(endpoint);
    super.initialize(uri, conf);
  }

  /** The real storage-interaction layer, with every blob client pointed at Azurite. */
  static final class RedirectedStorage extends StorageInterfaceImpl {
    private volatile URI endpoint;

    /** Emulator mode: the development account's credentials, Azurite's port. */
    @Override
    public void createBlobClient(CloudStorageAccount account) {
      super.createBlobClient(endpoint, account.getCredentials());
    }

    @Override
    public void createBlobClient(URI baseUri) {
      super.createBlobClient(endpoint);
    }

    @Override
    public void createBlobClient(URI baseUri, StorageCredentials credentials) {
      super.createBlobClient(endpoint, credentials);
    }
  }
}
