"""JupyterHub configuration of the course hub (`make hub`; tools/hub.py starts it).

tools/hub.py sets the COURSE_HUB_* variables this file reads (folder, ports, roster,
passwords, kind of users; see tools.hub.Hub) and prepares what it points at: the users and
their homes, the course root, the exchange and the per-role Jupyter configuration.

- JupyterHub and configurable-http-proxy (etc/hub/node_modules, `npm ci`) on 127.0.0.1 only.
- Log in: SharedPasswordAuthenticator, a demo authenticator: the students share one password
  (COURSE_HUB_PASSWORD), the instructor, a hub admin, has another (32+ characters,
  COURSE_HUB_INSTRUCTOR_PASSWORD); only the roster may log in. A real server uses PAM
  (`c.JupyterHub.authenticator_class = "pam"`: the users' own Linux passwords) or OAuth
  (`oauthenticator`, e.g. GitHubOAuthenticator / GenericOAuthenticator for the university's
  login; `jupyterhub-ltiauthenticator` for an LMS), and HTTPS in front (`c.JupyterHub.bind_url`
  on https with `ssl_cert`/`ssl_key`, or a reverse proxy).
- Spawner: LocalProcessSpawner when the users are real Linux users (the hub runs as root and
  each server as its user, so nbgrader's exchange permissions hold as on a real server);
  SimpleLocalProcessSpawner otherwise (COURSE_HUB_USERS=current: every server runs as the
  current user, homes under the hub folder; for a laptop demo only).
- Every server gets JUPYTER_CONFIG_PATH = its role's configuration (tools.hub.write_role_configs):
  students see the Assignments tab but no formgrader, the instructor gets the formgrader on the
  course root.
"""

import os
import pathlib
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(REPO))
from tools.hub import BIN, CHP, Hub  # noqa: E402

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file
hub = Hub.from_env()

# --- network: loopback only --------------------------------------------------------------
c.JupyterHub.bind_url = hub.url
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{hub.hub_port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{hub.proxy_api_port}"
c.ConfigurableHTTPProxy.command = [str(CHP)]
c.ConfigurableHTTPProxy.pid_file = str(hub.folder / "jupyterhub-proxy.pid")
c.Spawner.ip = "127.0.0.1"

# --- the hub's own state, in the hub folder ------------------------------------------------
c.JupyterHub.db_url = f"sqlite:///{hub.folder / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(hub.folder / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(hub.folder / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every user's server
c.JupyterHub.cleanup_proxy = True

# --- who may log in ------------------------------------------------------------------------
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = hub.password
c.SharedPasswordAuthenticator.admin_password = hub.instructor_password
c.Authenticator.allowed_users = set(hub.users)
c.Authenticator.admin_users = {hub.instructor}

# --- each user's server ----------------------------------------------------------------------
if hub.real_users:
    c.JupyterHub.spawner_class = "localprocess"  # as the Linux user of the same name
else:
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = str(hub.folder / "home" / "{username}")
    if os.geteuid() == 0:
        c.Spawner.args = ["--allow-root"]
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
c.Spawner.env_keep = ["LANG", "LC_ALL", "COURSE_DEVICE"]  # nothing else of the hub's (root's)
c.Spawner.environment = {
    # nbgrader runs `alembic` by name: the venv's bin/ first.
    "PATH": f"{BIN}{os.pathsep}/usr/local/bin:/usr/bin:/bin",
    "JUPYTER_CONFIG_PATH": lambda spawner: str(hub.config_dir(spawner.user.name)),
}


def pre_spawn_hook(spawner):
    """The instructor's JupyterLab opens on the formgrader; students' on their home."""
    if spawner.user.name == hub.instructor:
        spawner.default_url = "/formgrader"


c.Spawner.pre_spawn_hook = pre_spawn_hook
