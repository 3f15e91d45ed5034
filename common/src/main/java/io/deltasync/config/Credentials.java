package io.deltasync.config;

/**
 * Where the Jobs API credentials of a workspace live. The config only ever names a secret scope
 * and keys; the values are read at run time and never logged.
 */
public sealed interface Credentials {

  /** A personal access token (of a service principal, ideally) in {@code scope/key}. */
  record Pat(SecretRef token) implements Credentials {}

  /** An OAuth machine-to-machine service principal: client id and secret in the secret scope. */
  record OAuthM2M(SecretRef clientId, SecretRef clientSecret) implements Credentials {}
}
