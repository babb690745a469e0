"""The embedded stack for one machine: `make run` and the tests, never a deployment.

Real servers shipped as wheels (PostgreSQL, the Temporal dev server), started, watched and
stopped (`devstack.stack`, `devstack.processes`, `devstack.servers`), and the secrets it
generates for this machine (`devstack.local_secrets`). The worker image does not ship this
package (`.dockerignore`, and the wheel's package list leaves it out): production runs the
servers as services of their own and sets the secrets from a secret store.
"""
