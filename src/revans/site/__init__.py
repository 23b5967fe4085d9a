"""The top layer (architecture.md §6): what brings the apps together for a person or an
operator — the home page and dashboard, the demo data, and the `serve`, `demo` and `worker`
commands. It may import any app; no app imports it."""
