"""The HTTP server of ``rag serve``: a REST API, an OpenAI-compatible API and the Gradio app, over one facade.

Kept import-light (FastAPI loads only when :func:`rag.server.app.create_app` is imported), so the CLI
can share :mod:`rag.server.serialize` without paying for the web stack.
"""
