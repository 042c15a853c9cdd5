"""A GitHub issue form instead of YAML: the form is generated from the request model
(`form`, `issueform`), the issue GitHub renders from it is read back (`body`, `answers`)
and written as a request file with `# TODO` lines for what was not answered (`writer`),
then judged like any request (`draft`) and answered on the issue (`formats`).
"""
