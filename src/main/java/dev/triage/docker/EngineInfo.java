package dev.triage.docker;

/**
 * What the engine says about itself ({@code GET /version} and {@code GET /info}). Fields the engine
 * does not report are null: {@code firewallBackend} exists from API 1.49 (Docker 29).
 *
 * @param local the engine runs on this machine (unix socket or loopback TCP), so the host's
 *              firewall and /proc describe its networks
 */
public record EngineInfo(String endpoint, boolean local, String serverVersion, String apiVersion,
                         String minApiVersion, String os, String arch, String kernel, String firewallBackend,
                         Boolean ipv4Forwarding, boolean rootless) { }
