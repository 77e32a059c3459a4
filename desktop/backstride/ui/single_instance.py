"""One app window per data folder: a second start brings the first to the front.

A lock file in the data folder says an app has it open (QLockFile notices a lock left by
a process that died); a local socket named after the folder lets the second start ask the
first to show itself, instead of opening a stale second copy of the same diary.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, QThread, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer

LOCK_FILENAME = "backstride.lock"
_RAISE = b"raise\n"
_TIMEOUT_MS = 1000
_RETRY_MS = 400


def server_name(data_dir: Path) -> str:
    import hashlib  # ~3 ms: only once the window is up (listen) or for a second start

    digest = hashlib.sha256(str(data_dir.absolute()).encode("utf-8")).hexdigest()[:16]
    return f"backstride-{digest}"


class InstanceGuard(QObject):
    """Held by the running app for its data folder; emits `activate` when asked to show.

    The lock is taken at once; the socket that answers a second start is opened by
    `listen()` after the first paint (QtNetwork costs start-up time; a second start in
    that moment waits for it, see ask_running_to_show)."""

    activate = Signal()

    def __init__(self, lock: QLockFile, data_dir: Path) -> None:
        super().__init__()
        self._lock = lock
        self._data_dir = data_dir
        self._server: QLocalServer | None = None

    def listen(self) -> None:
        from PySide6.QtNetwork import QLocalServer

        name = server_name(self._data_dir)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(name)  # a socket left by a crashed app (we hold the lock)
        self._server.listen(name)
        self._server.newConnection.connect(self._on_connection)

    def follow(self, data_dir: Path) -> bool:
        """After the data moved to data_dir (Settings, or a located file): hold that
        folder's lock instead, and answer a second start there. False (the old lock kept)
        when another app holds the new folder."""
        if data_dir == self._data_dir:
            return True
        lock = QLockFile(str(data_dir / LOCK_FILENAME))
        lock.setStaleLockTime(0)
        if data_dir.is_dir() and not lock.tryLock(_TIMEOUT_MS):
            return False
        listening = self._server is not None
        self.release()
        self._lock, self._data_dir = lock, data_dir
        if listening:
            self.listen()
        return True

    def _on_connection(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            self._server.nextPendingConnection().readyRead.connect(self._read)

    def _read(self) -> None:
        # No lambdas or deleteLater on `disconnected`: a socket destroyed with the server
        # would then call into a Python wrapper that is already gone.
        from PySide6.QtNetwork import QLocalSocket

        socket = self.sender()
        if not isinstance(socket, QLocalSocket):
            return
        if bytes(socket.readAll().data()).startswith(_RAISE.strip()):
            self.activate.emit()
        socket.readyRead.disconnect(self._read)
        socket.abort()
        socket.deleteLater()

    def release(self) -> None:
        if self._server is not None:
            from PySide6.QtNetwork import QLocalSocket

            self._server.close()
            for socket in self._server.findChildren(QLocalSocket):
                socket.abort()
            self._server.deleteLater()
            self._server = None
        self._lock.unlock()


def claim(data_dir: Path) -> InstanceGuard | None:
    """The guard if this process may open data_dir; None if another app has it open.

    A folder where no lock can be made (missing, read-only) gives a guard without a lock:
    opening the data file then says what is wrong in its own words."""
    lock = QLockFile(str(data_dir / LOCK_FILENAME))
    lock.setStaleLockTime(0)  # stale only when its process is gone, however long it runs
    locked_by_another = data_dir.is_dir() and not lock.tryLock(_TIMEOUT_MS)
    if locked_by_another and lock.error() == QLockFile.LockError.LockFailedError:
        return None
    return InstanceGuard(lock, data_dir)


def ask_running_to_show(data_dir: Path, attempts: int = 5) -> bool:
    """Ask the app holding data_dir to come to the front; False if it did not answer (it
    may still be starting: it listens from its first paint on, so ask a few times)."""
    from PySide6.QtNetwork import QLocalSocket

    for _ in range(attempts):
        socket = QLocalSocket()
        socket.connectToServer(server_name(data_dir))
        if socket.waitForConnected(_TIMEOUT_MS):
            socket.write(_RAISE)
            ok = socket.waitForBytesWritten(_TIMEOUT_MS)
            socket.disconnectFromServer()
            return ok
        QThread.msleep(_RETRY_MS)
    return False
