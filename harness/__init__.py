"""Real processes for the end-to-end tests and the benchmarks: gunicorn, Celery workers, private Redis and
MariaDB servers, and a cookie-jar HTTP client (harness/processes.py). Used by tests/e2e/ and bench/;
not part of the application."""
