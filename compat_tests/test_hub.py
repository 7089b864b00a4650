"""Differential tests of torch.hub against a cache on disk: where the cache is, hub.load / list /
help from a cached GitHub repository or a local directory (hubconf entrypoints, dependencies,
trusted repositories), downloads (file:// URLs, hash checks), and the errors when the network is
needed but unreachable."""
from __future__ import annotations

import hashlib
import os
import textwrap

import pytest
import torch

import minitorch
from harness import assert_same_error
from test_optim import assert_same_tree


HUBCONF = textwrap.dedent('''
    """A tiny hub repository."""
    dependencies = ["numpy"]


    def tiny(n=2, offset=0):
        """Three times n, plus offset."""
        return 3 * n + offset


    def _private():
        return None

    CONSTANT = 7
''')


@pytest.fixture
def torch_home(tmp_path, monkeypatch):
    """A fresh TORCH_HOME for both libraries (and no set_dir override)."""
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "home"))
    for T in (torch, minitorch):
        monkeypatch.setattr(T.hub, "_hub_dir", None)
    return tmp_path / "home"


def outcome(fn):
    try:
        return fn(), None
    except Exception as e:  # noqa: BLE001 - compared by the caller
        return None, e


def compare(run, capsys) -> None:
    """``run(T)`` under both libraries: same result or same error, same stdout and stderr."""
    results = []
    for T in (torch, minitorch):
        value, error = outcome(lambda: run(T))
        out, err = capsys.readouterr()
        results.append((value, error, out, err))
    (value, error, out, err), (m_value, m_error, m_out, m_err) = results
    if error is not None:
        assert_same_error(error, m_error)
    else:
        assert m_error is None, m_error
        assert_same_tree(value, m_value, "result", 0, 0)
    assert (m_out, m_err) == (out, err)


def test_cache_directory(torch_home, monkeypatch, capsys):
    def run(T):
        found = [T.hub.get_dir()]
        monkeypatch.delenv("TORCH_HOME")
        monkeypatch.setenv("XDG_CACHE_HOME", str(torch_home / "xdg"))
        found.append(T.hub.get_dir())
        T.hub.set_dir("~/elsewhere")
        found.append(T.hub.get_dir())
        T.hub._hub_dir = None
        monkeypatch.setenv("TORCH_HOME", str(torch_home))
        return found
    compare(run, capsys)


def make_repo(directory) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "hubconf.py").write_text(HUBCONF)
    return str(directory)


@pytest.mark.parametrize("github", ["pytorch/tiny:main", "someone/tiny:v1.0"])
def test_load_list_help_from_the_cache(torch_home, capsys, github):
    owner_repo, ref = github.split(":")
    make_repo(torch_home / "hub" / f"{owner_repo.replace('/', '_')}_{ref}")

    def run(T):
        return [T.hub.load(github, "tiny", 4, offset=1), T.hub.list(github), T.hub.help(github, "tiny"),
                T.hub.load(github, "tiny", verbose=False)]
    compare(run, capsys)
    assert (torch_home / "hub" / "trusted_list").exists()


def test_load_local_directory(tmp_path, torch_home, capsys):
    repo = make_repo(tmp_path / "local_repo")
    compare(lambda T: T.hub.load(repo, "tiny", 5, source="local"), capsys)
    compare(lambda T: T.hub.load(repo, "tiny", source="LOCAL", offset=2), capsys)


@pytest.mark.parametrize("call", [
    lambda T, repo: T.hub.load(repo, "tiny", source="gitlab"),
    lambda T, repo: T.hub.load(repo, 3, source="local"),
    lambda T, repo: T.hub.load(repo, "missing", source="local"),
    lambda T, repo: T.hub.load(repo, "CONSTANT", source="local"),
    lambda T, repo: T.hub.load(repo + "_nodeps", "tiny", source="local"),
    lambda T, repo: T.hub.load("no-slash:main", "tiny"),
    lambda T, repo: T.hub.load("a/b:c:d", "tiny"),
])
def test_load_errors(tmp_path, torch_home, capsys, call):
    repo = make_repo(tmp_path / "local_repo")
    nodeps = make_repo(tmp_path / "local_repo_nodeps")
    with open(os.path.join(nodeps, "hubconf.py"), "a") as f:
        f.write("\ndependencies = ['numpy', 'a_package_that_is_not_installed']\n")
    compare(lambda T: call(T, repo), capsys)


@pytest.mark.parametrize("answer", ["n", "yes", "maybe"])
def test_untrusted_repository_asks(torch_home, capsys, monkeypatch, answer):
    make_repo(torch_home / "hub" / "someone_tiny_main")
    prompts = []
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or answer)
    compare(lambda T: T.hub.load("someone/tiny:main", "tiny", trust_repo=False), capsys)
    assert len(prompts) == 2 and prompts[0] == prompts[1]


def test_download_url_to_file(tmp_path, capsys):
    source = tmp_path / "weights-bin.dat"
    source.write_bytes(bytes(range(256)) * 10)
    digest = hashlib.sha256(source.read_bytes()).hexdigest()

    def run(T):
        dst = tmp_path / f"copy-{T.__name__}.dat"
        T.hub.download_url_to_file(source.as_uri(), str(dst), hash_prefix=digest[:8], progress=False)
        return dst.read_bytes() == source.read_bytes()
    compare(run, capsys)
    compare(lambda T: T.hub.download_url_to_file(source.as_uri(), str(tmp_path / "bad"), hash_prefix="00",
                                                 progress=False), capsys)


def test_network_needed_but_unreachable(torch_home, capsys):
    """Nothing listens on port 9 of localhost: the download fails as it does offline."""
    compare(lambda T: T.hub.load_state_dict_from_url("http://127.0.0.1:9/weights-0123abcd.pth", progress=False),
            capsys)
    compare(lambda T: T.hub.download_url_to_file("http://127.0.0.1:9/x", str(torch_home / "x"), progress=False),
            capsys)


@pytest.mark.skipif(not hasattr(minitorch, "load"), reason="minitorch.load (serialization) is not in this branch")
def test_load_state_dict_from_the_cache(torch_home, capsys):
    checkpoints = torch_home / "hub" / "checkpoints"
    checkpoints.mkdir(parents=True)
    torch.save({"w": torch.arange(3.0)}, checkpoints / "model-abc.pth")
    compare(lambda T: T.hub.load_state_dict_from_url("https://example.com/x/model-abc.pth"), capsys)
