package io.deltasync.config;

/** The name of a secret: a Databricks secret scope and key. Never the secret's value. */
public record SecretRef(String scope, String key) {

  @Override
  public String toString() {
    return scope + "/" + key;
  }
}
