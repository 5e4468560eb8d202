"""Build the reviewer site: run the notebooks with papermill, render HTML, write the index.

`runner.run_reports` is the entry point; `execute` runs one notebook in a worker process,
`render` turns an executed notebook into report HTML, `site` writes `reports/index.html`,
`manifest` reads and writes `reports/run.json`.
"""
