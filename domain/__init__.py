"""The pure domain model of the Nieuwe Banen Methodiek: one package per aggregate.

- `domain.shared`: the shared kernel (the frozen base model, constrained types, personal data
  and its sealed form, the root of the errors, calendar arithmetic);
- `domain.trajectory`: one candidate's trajectory through the six steps.

Every aggregate is functional and event-sourced: `decide(state, command, now)` returns events
or raises a `DomainError`, and the state is only ever `fold(evolve, events)`. Nothing here does
I/O, reads a clock or draws a random number, so the same fold runs in the workflow, in the
audit tools and in the tests, with the same result.
"""
