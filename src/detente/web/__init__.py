"""The web app: server-rendered pages in English and Chinese and a JSON API under /api."""
