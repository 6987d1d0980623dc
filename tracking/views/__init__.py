"""The pages of the app, one module per kind of page.

- dashboard: the standard table by agency (page, JSON, CSV) and the health check
- work: the task list and search, an agency's workspace, the office's review queue
- directives: directives and tasks, read and edited
- actions: the write pages of the work on tasks (report, propose, extension, confirm, urge, …)
- flow: the shared flow of every write page
"""
