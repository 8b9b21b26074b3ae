"""The parameter desk (issue 21): documents registered by title, dated values proposed by an official of the
jurisdiction, approved by a second one after a cost preview, and published into the parameters' dated history
that every process's engine reads (`cradle.policy.published`). See docs/params.md."""
