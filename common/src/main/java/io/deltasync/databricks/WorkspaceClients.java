package io.deltasync.databricks;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksConfig;
import com.databricks.sdk.core.PatCredentialsProvider;
import com.databricks.sdk.core.oauth.OAuthM2MServicePrincipalCredentialsProvider;
import io.deltasync.config.Credentials;
import io.deltasync.config.WorkspaceConfig;
import io.deltasync.errors.SyncErrors;
import io.deltasync.secrets.SecretProvider;
import java.net.URI;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects the Databricks SDK to a workspace with the credentials the config names.
 *
 * <p>The SDK is given the credentials explicitly (never the ambient environment, profile file
 * or notebook token) and header logging is turned off, so a token never reaches a log line:
 * {@link DatabricksConfig#toString()} masks the token and client secret (they are the SDK's
 * "sensitive" attributes), and request logs name only the method and URL. One exception, in
 * the SDK: at DEBUG, {@code com.databricks.sdk.core.ApiClient} logs response bodies, including
 * the OAuth token endpoint's (a short-lived access token); {@link #connect} warns when that
 * logger is at DEBUG with OAuth M2M credentials. A PAT or client secret is never logged.
 */
public final class WorkspaceClients {

  private static final Logger LOG = LoggerFactory.getLogger(WorkspaceClients.class);

  /** The SDK logger that dumps request and response bodies at DEBUG. */
  static final String SDK_API_CLIENT_LOGGER = "com.databricks.sdk.core.ApiClient";

  private WorkspaceClients() {}

  /**
   * A client of the primary workspace ({@code workspace_instance_url}), authenticated with the
   * primary's own credentials.
   */
  public static WorkspaceClient primary(WorkspaceConfig workspace, SecretProvider secrets) {
    return connect(workspace.url(), workspace.primaryWorkspaceCredentials(), secrets);
  }

  /**
   * A client of the secondary workspace ({@code secondary_workspace_instance_url}), authenticated
   * with the secondary's own credentials ({@code secondary_workspace_*_key}, else the primary's).
   *
   * @param command what needs the secondary, for the message when its URL is not configured
   */
  public static WorkspaceClient secondary(
      WorkspaceConfig workspace, SecretProvider secrets, String command) {
    URI url = workspace.secondaryUrl()
        .orElseThrow(() -> SyncErrors.secondaryUrlMissing(workspace.name(), command));
    return connect(url, workspace.secondaryWorkspaceCredentials(), secrets);
  }

  /** A client of the workspace at {@code host}, authenticated with a PAT or OAuth M2M. */
  public static WorkspaceClient connect(URI host, Credentials credentials, SecretProvider secrets) {
    return new WorkspaceClient(config(host, credentials, secrets));
  }

  /** The SDK config {@link #connect} uses, resolved lazily by the SDK on first use. */
  public static DatabricksConfig config(URI host, Credentials credentials, SecretProvider secrets) {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(secrets, "secrets");
    if (host.getScheme() == null || host.getHost() == null) {
      throw SyncErrors.usage("Workspace URL " + host + " is not an absolute URL: set"
          + " workspace_instance_url to e.g. https://adb-123.4.azuredatabricks.net");
    }
    DatabricksConfig config = new DatabricksConfig()
        .setHost(stripTrailingSlash(host.toString()))
        // An explicit value wins over DATABRICKS_DEBUG_HEADERS, which would log the
        // Authorization header at DEBUG.
        .setDebugHeaders(false);
    if (credentials instanceof Credentials.Pat pat) {
      config.setToken(secrets.secret(pat.token()))
          .setCredentialsProvider(new PatCredentialsProvider());
    } else if (credentials instanceof Credentials.OAuthM2M m2m) {
      if (LoggerFactory.getLogger(SDK_API_CLIENT_LOGGER).isDebugEnabled()) {
        LOG.warn("DEBUG logging is on for {}: with OAuth M2M the SDK logs the token endpoint's"
            + " response, which holds a short-lived access token; set that logger to INFO",
            SDK_API_CLIENT_LOGGER);
      }
      config.setClientId(secrets.secret(m2m.clientId()))
          .setClientSecret(secrets.secret(m2m.clientSecret()))
          .setCredentialsProvider(new OAuthM2MServicePrincipalCredentialsProvider());
    } else {
      throw new IllegalArgumentException("unknown credentials " + credentials.getClass());
    }
    return config;
  }

  /** Names the credentials (the secret refs, never their values) for error messages. */
  static String describe(Credentials credentials) {
    if (credentials instanceof Credentials.Pat pat) {
      return "scope " + pat.token().scope() + ", key " + pat.token().key();
    }
    if (credentials instanceof Credentials.OAuthM2M m2m) {
      return "scope " + m2m.clientId().scope() + ", keys " + m2m.clientId().key() + " and "
          + m2m.clientSecret().key();
    }
    return String.valueOf(credentials);
  }

  private static String stripTrailingSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
