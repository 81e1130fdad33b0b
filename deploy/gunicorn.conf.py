"""gunicorn for Liangze: `gunicorn -c deploy/gunicorn.conf.py liangze.wsgi:application`.

Read from the same environment as the app (/etc/liangze/liangze.env, see README).
"""

import multiprocessing
import os

bind = os.environ.get("LIANGZE_BIND", "127.0.0.1:8000")
# Sync workers behind nginx (which buffers slow clients): the usual 2 per core + 1.
workers = int(os.environ.get("LIANGZE_WEB_WORKERS", 2 * multiprocessing.cpu_count() + 1))
# An exported year or a 60,000-row import takes up to a minute; nginx waits 130 s.
timeout = int(os.environ.get("LIANGZE_WEB_TIMEOUT", "120"))
graceful_timeout = 30
keepalive = 5
# A fresh worker now and then keeps memory bounded; the jitter staggers the restarts.
max_requests = 2000
max_requests_jitter = 200

# X-Forwarded-Proto (https) is believed from the same proxies as X-Forwarded-For in the app.
forwarded_allow_ips = ",".join(
    entry.strip() for entry in os.environ.get("LIANGZE_TRUSTED_PROXIES", "").split(",")
)

# One access line per request: the client nginx saw, and the request id the app logs under.
accesslog = "-"
access_log_format = (
    '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}o)s "%(f)s" "%(a)s"'
)
errorlog = "-"
loglevel = "info"

# systemctl reloads and stops gunicorn; a control socket in the user's home would only
# collide when two instances run under one user (several app servers on a test host).
control_socket_disable = True
