"""torch.hub: models and weights from GitHub repositories and URLs, through torch's cache.

Everything is looked up where torch looks (``get_dir()``: ``$TORCH_HOME/hub``, by default
``~/.cache/torch/hub``), so a cache filled by torch serves minitorch too: checkpoints under
``checkpoints/``, repositories under ``<owner>_<repo>_<ref>/`` with their ``hubconf.py``, trusted
owners in ``trusted_list``. The network is used only for what is not cached, with urllib, so its
absence raises the same errors as in torch.
"""
from __future__ import annotations

import builtins
import contextlib
import hashlib
import importlib.util
import itertools
import json
import os
import re
import shutil
import sys
import uuid
import warnings
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.error import HTTPError, URLError
from urllib.parse import urlparse
from urllib.request import Request, urlopen

__all__ = ["download_url_to_file", "get_dir", "help", "list", "load", "load_state_dict_from_url", "set_dir"]

HASH_REGEX = re.compile(r"-([a-f0-9]*)\.")
_TRUSTED_REPO_OWNERS = ("facebookresearch", "facebookincubator", "pytorch", "fairinternal")
ENV_GITHUB_TOKEN = "GITHUB_TOKEN"
ENV_TORCH_HOME = "TORCH_HOME"
ENV_XDG_CACHE_HOME = "XDG_CACHE_HOME"
DEFAULT_CACHE_DIR = "~/.cache"
VAR_DEPENDENCY = "dependencies"
MODULE_HUBCONF = "hubconf.py"
READ_DATA_CHUNK = 128 * 1024

_hub_dir: str | None = None


def get_dir() -> str:
    """The hub directory: ``set_dir``'s, else ``$TORCH_HOME/hub`` (``$XDG_CACHE_HOME/torch/hub``,
    ``~/.cache/torch/hub``)."""
    if os.getenv("TORCH_HUB"):
        warnings.warn("TORCH_HUB is deprecated, please use env TORCH_HOME instead", stacklevel=2)
    if _hub_dir is not None:
        return _hub_dir
    torch_home = os.getenv(ENV_TORCH_HOME, os.path.join(os.getenv(ENV_XDG_CACHE_HOME, DEFAULT_CACHE_DIR), "torch"))
    return os.path.join(os.path.expanduser(torch_home), "hub")


def set_dir(d: str | os.PathLike) -> None:
    global _hub_dir
    _hub_dir = os.path.expanduser(d)


# ---- downloads ---------------------------------------------------------------------------------

class _Progress:
    """A percentage (or byte count) on stderr while downloading, as torch shows without tqdm."""

    def __init__(self, total: int | None, enabled: bool) -> None:
        self.total, self.enabled, self.done = total, enabled, 0

    def update(self, n: int) -> None:
        if not self.enabled:
            return
        self.done += n
        shown = f"{self.done:.1f} bytes" if self.total is None else f"{100 * self.done / float(self.total):.1f}%"
        sys.stderr.write("\r" + shown)
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def download_url_to_file(url: str, dst: str, hash_prefix: str | None = None, progress: bool = True) -> None:
    """Download ``url`` to ``dst`` through a temporary file, checking the SHA-256 prefix if given."""
    dst = os.path.expanduser(dst)
    tmp = dst + "." + uuid.uuid4().hex + ".partial"
    with open(tmp, "w+b") as f:
        try:
            with urlopen(Request(url, headers={"User-Agent": "torch.hub"})) as response:
                length = response.info().get_all("Content-Length")
                bar = _Progress(int(length[0]) if length else None, progress)
                sha256 = hashlib.sha256() if hash_prefix is not None else None
                while chunk := response.read(READ_DATA_CHUNK):
                    f.write(chunk)
                    if sha256 is not None:
                        sha256.update(chunk)
                    bar.update(len(chunk))
                bar.close()
            f.close()
            if sha256 is not None and not sha256.hexdigest().startswith(hash_prefix):  # type: ignore[arg-type]
                raise RuntimeError(f'invalid hash value (expected "{hash_prefix}", got "{sha256.hexdigest()}")')
            shutil.move(f.name, dst)
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)


def _safe_extract(archive: zipfile.ZipFile, target: str) -> None:
    """Extract, refusing entries that would land outside ``target``."""
    root = Path(target).resolve(strict=False)
    for member in archive.infolist():
        name = os.path.normpath(member.filename)
        if name.startswith(("/", "\\")) or (len(name) >= 2 and name[1] == ":" and name[0].isalpha()):
            raise ValueError(f"Archive entry has absolute path: {member.filename}")
        if ".." in re.split(r"[/\\]", name):
            raise ValueError(f"Archive entry contains directory traversal: {member.filename}")
        if not (root / name).resolve(strict=False).is_relative_to(root):
            raise ValueError(f"Archive entry escapes target directory: {member.filename}")
        archive.extract(member, root)


def _is_legacy_zip_format(filename: str) -> bool:
    """A zip holding one file: how checkpoints were published before torch 1.6's zip format."""
    if not zipfile.is_zipfile(filename):
        return False
    with zipfile.ZipFile(filename) as archive:
        members = archive.infolist()
    return len(members) == 1 and not members[0].is_dir()


def load_state_dict_from_url(url: str, model_dir: str | None = None, map_location: Any = None, progress: bool = True,
                             check_hash: bool = False, file_name: str | None = None,
                             weights_only: bool = False) -> dict[str, Any]:
    """``torch.load`` of the file at ``url``, downloaded into ``model_dir`` (``get_dir()/checkpoints``)
    unless a file of that name is already there."""
    if os.getenv("TORCH_MODEL_ZOO"):
        warnings.warn("TORCH_MODEL_ZOO is deprecated, please use env TORCH_HOME instead", stacklevel=2)
    if model_dir is None:
        model_dir = os.path.join(get_dir(), "checkpoints")
    os.makedirs(model_dir, exist_ok=True)
    filename = file_name if file_name is not None else os.path.basename(urlparse(url).path)
    cached_file = os.path.join(model_dir, filename)
    if not os.path.exists(cached_file):
        sys.stdout.write(f'Downloading: "{url}" to {cached_file}\n')
        match = HASH_REGEX.search(filename) if check_hash else None
        download_url_to_file(url, cached_file, match.group(1) if match else None, progress=progress)
    if _is_legacy_zip_format(cached_file):
        warnings.warn("Falling back to the old format < 1.6. This support will be deprecated in favor of default "
                      "zipfile format introduced in 1.6. Please redo torch.save() to save it in the new zipfile "
                      "format.", FutureWarning, stacklevel=2)
        with zipfile.ZipFile(cached_file) as archive:
            _safe_extract(archive, model_dir)
            cached_file = os.path.join(model_dir, archive.infolist()[0].filename)
    torch_load = sys.modules[__package__].load  # looked up when needed: serialization is another module
    return torch_load(cached_file, map_location=map_location, weights_only=weights_only)


# ---- repositories ------------------------------------------------------------------------------

def _default_ref(owner: str, repo: str) -> str:
    """'main' if the repository has that branch, else 'master'; offline, whichever is cached."""
    try:
        with urlopen(f"https://github.com/{owner}/{repo}/tree/main/"):
            return "main"
    except HTTPError as e:
        if e.code == 404:
            return "master"
        raise
    except URLError as e:
        for ref in ("main", "master"):
            if os.path.exists(f"{get_dir()}/{owner}_{repo}_{ref}"):
                return ref
        raise RuntimeError("It looks like there is no internet connection and the repo could not be found in the "
                           f"cache ({get_dir()})") from e


def _parse_repo_info(github: str) -> tuple[str, str, str]:
    repo_info, ref = github.split(":") if ":" in github else (github, None)
    owner, repo = repo_info.split("/")
    return owner, repo, ref or _default_ref(owner, repo)


def _read_json(url: str, headers: dict) -> Any:
    with urlopen(Request(url, headers=headers)) as response:
        return json.loads(response.read().decode(response.headers.get_content_charset("utf-8")))


def _validate_not_a_forked_repo(owner: str, repo: str, ref: str) -> None:
    """``ref`` must be a branch, tag or commit of ``owner/repo`` itself (GitHub's API serves a fork's
    commits under the parent's name too)."""
    headers = {"Accept": "application/vnd.github.v3+json"}
    if os.environ.get(ENV_GITHUB_TOKEN) is not None:
        headers["Authorization"] = f"token {os.environ[ENV_GITHUB_TOKEN]}"
    for kind in ("branches", "tags"):
        for page in itertools.count(1):
            url = f"https://api.github.com/repos/{owner}/{repo}/{kind}?per_page=100&page={page}"
            try:
                entries = _read_json(url, headers)
            except HTTPError:  # a bad token: retry without it
                headers.pop("Authorization", None)
                entries = _read_json(url, headers)
            if not entries:
                break
            if any(e["name"] == ref or e["commit"]["sha"].startswith(ref) for e in entries):
                return
    raise ValueError(f"Cannot find {ref} in https://github.com/{owner}/{repo}. If it's a commit from a forked repo, "
                     "please call hub.load() with forked repo directly.")


def _check_repo_is_trusted(owner: str, repo: str, cache_name: str, trust_repo: Any) -> None:
    """Ask before using a repository that is neither listed in ``trusted_list``, nor cached by an
    older torch, nor owned by a trusted owner; remember it once used."""
    hub_dir = get_dir()
    trusted_list = os.path.join(hub_dir, "trusted_list")
    Path(trusted_list).touch()
    with open(trusted_list) as f:
        trusted = {line.strip() for line in f}
    owner_name = f"{owner}_{repo}"
    is_trusted = owner_name in trusted or cache_name in next(os.walk(hub_dir))[1] or owner in _TRUSTED_REPO_OWNERS
    if trust_repo is False or (trust_repo == "check" and not is_trusted):
        response = input(f"The repository {owner_name} does not belong to the list of trusted repositories and as "
                         "such cannot be downloaded. Do you trust this repository and wish to add it to the trusted "
                         "list of repositories (y/N)?")
        if response.lower() in ("y", "yes"):
            if is_trusted:
                print("The repository is already trusted.")
        elif response.lower() in ("n", "no", ""):
            raise Exception("Untrusted repository.")  # noqa: TRY002 - torch's type
        else:
            raise ValueError(f"Unrecognized response {response}.")
    if not is_trusted:
        with open(trusted_list, "a") as f:
            f.write(owner_name + "\n")


def _download_repo(owner: str, repo: str, ref: str, repo_dir: str) -> None:
    hub_dir = get_dir()
    archive_path = os.path.join(hub_dir, ref.replace("/", "_") + ".zip")
    if os.path.exists(archive_path):
        os.remove(archive_path)
    url = f"https://github.com/{owner}/{repo}/zipball/{ref}"
    sys.stdout.write(f'Downloading: "{url}" to {archive_path}\n')
    download_url_to_file(url, archive_path, progress=False)
    with zipfile.ZipFile(archive_path) as archive:
        extracted = os.path.join(hub_dir, archive.infolist()[0].filename)
        shutil.rmtree(extracted, ignore_errors=True)
        _safe_extract(archive, hub_dir)
    os.remove(archive_path)
    shutil.rmtree(repo_dir, ignore_errors=True)
    shutil.move(extracted, repo_dir)


def _get_cache_or_reload(github: str, force_reload: bool, trust_repo: Any, verbose: bool = True,
                         skip_validation: bool = False) -> str:
    """The local copy of ``owner/repo[:ref]``, downloaded if not cached (or ``force_reload``)."""
    hub_dir = get_dir()
    os.makedirs(hub_dir, exist_ok=True)
    owner, repo, ref = _parse_repo_info(github)
    cache_name = "_".join((owner, repo, ref.replace("/", "_")))
    repo_dir = os.path.join(hub_dir, cache_name)
    _check_repo_is_trusted(owner, repo, cache_name, trust_repo)
    if not force_reload and os.path.exists(repo_dir):
        if verbose:
            sys.stderr.write(f"Using cache found in {repo_dir}\n")
        return repo_dir
    if not skip_validation:
        _validate_not_a_forked_repo(owner, repo, ref)
    _download_repo(owner, repo, ref, repo_dir)
    return repo_dir


@contextlib.contextmanager
def _hubconf(repo_dir: str) -> Iterator[Any]:
    """The repository's ``hubconf`` module, with the repository importable while it is in use."""
    sys.path.insert(0, repo_dir)
    try:
        spec = importlib.util.spec_from_file_location(MODULE_HUBCONF, os.path.join(repo_dir, MODULE_HUBCONF))
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        yield module
    finally:
        sys.path.remove(repo_dir)


def _entrypoint(hubconf: Any, model: Any) -> Callable:
    if not isinstance(model, str):
        raise ValueError("Invalid input: model should be a string of function name")
    missing = [pkg for pkg in getattr(hubconf, VAR_DEPENDENCY, None) or () if importlib.util.find_spec(pkg) is None]
    if missing:
        raise RuntimeError(f"Missing dependencies: {', '.join(missing)}")
    entry = getattr(hubconf, model, None) if model in dir(hubconf) else None
    if entry is None or not callable(entry):
        raise RuntimeError(f"Cannot find callable {model} in hubconf")
    return entry


def list(github: str, force_reload: bool = False, skip_validation: bool = False, trust_repo: Any = "check",  # noqa: A001
         verbose: bool = True) -> builtins.list[str]:
    """The entrypoints of ``github``'s hubconf."""
    repo_dir = _get_cache_or_reload(github, force_reload, trust_repo, verbose, skip_validation)
    with _hubconf(repo_dir) as hubconf:
        return [name for name in dir(hubconf) if callable(getattr(hubconf, name)) and not name.startswith("_")]


def help(github: str, model: str, force_reload: bool = False, skip_validation: bool = False,  # noqa: A001
         trust_repo: Any = "check") -> str | None:
    """The docstring of entrypoint ``model``."""
    repo_dir = _get_cache_or_reload(github, force_reload, trust_repo, True, skip_validation)
    with _hubconf(repo_dir) as hubconf:
        return _entrypoint(hubconf, model).__doc__


def load(repo_or_dir: str, model: str, *args: Any, source: str = "github", trust_repo: Any = "check",
         force_reload: bool = False, verbose: bool = True, skip_validation: bool = False, **kwargs: Any) -> Any:
    """Call entrypoint ``model`` of the hubconf in a GitHub repository (cached under ``get_dir()``)
    or, with ``source="local"``, in a directory."""
    source = source.lower()
    if source not in ("github", "local"):
        raise ValueError(f'Unknown source: "{source}". Allowed values: "github" | "local".')
    if source == "github":
        repo_or_dir = _get_cache_or_reload(repo_or_dir, force_reload, trust_repo, verbose, skip_validation)
    with _hubconf(repo_or_dir) as hubconf:
        return _entrypoint(hubconf, model)(*args, **kwargs)
