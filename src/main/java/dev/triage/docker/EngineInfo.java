package dev.triage.docker;

/**
 * What the engine says about itself ({@code GET /version} and {@code GET /info}). Fields the engine
 * does not report are null: {@code firewallBackend} exists from API 1.49 (Docker 29), the
 * {@code bridgeNf*} flags only on older engines.
 */
public record EngineInfo(String endpoint, boolean local, String serverVersion, String apiVersion,
                         String minApiVersion, String os, String arch, String kernel, String firewallBackend,
                         Boolean ipv4Forwarding, Boolean bridgeNfIptables, Boolean bridgeNfIp6tables,
                         boolean rootless, String defaultBridgeIcc) { }
