"""Sign-off: a request in review merges only when every team the policies name has
approved the pull request on its latest commit.

Which teams a request needs is Rego's answer (`RequestResult.reviewers`); who may sign
off for a team is IT's `policies/data/teams.yaml` (`teams`); what GitHub says about the
pull request's reviews is read as its REST API returns it (`reviews`); `gate` matches
the two; `formats` renders the answer beside the check report.
"""
