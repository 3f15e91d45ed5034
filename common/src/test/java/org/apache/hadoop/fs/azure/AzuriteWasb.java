package org.apache.hadoop.fs.azure;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.DelegateToFileSystem;

/**
 * Test-only: the {@code FileContext} face of {@link AzuriteWasbFileSystem}, as {@link Wasb} is of
 * {@link NativeAzureFileSystem}. Needed because some writers (Delta's checksum hook among them) go
 * through {@code FileContext}, which would otherwise build the stock file system and try port
 * 10000.
 */
public class AzuriteWasb extends DelegateToFileSystem {

  public AzuriteWasb(URI uri, Configuration conf) throws IOException, URISyntaxException {
    super(uri, new AzuriteWasbFileSystem(), conf, "wasb", false);
  }

  @Override
  public int getUriDefaultPort() {
    return -1;
  }
}
