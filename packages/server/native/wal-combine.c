/*
 * wal-combine: a SQLite VFS shim that writes a transaction's WAL frames with a few large writes instead
 * of two per frame (SQLite writes each frame's 24-byte header, then its page, as separate calls).
 *
 * SQLite appends a transaction's frames one after another: header, page, header, page... This shim
 * keeps such appends in a buffer and writes the buffer once the commit frame's page has been appended
 * (the commit frame is the one whose header carries the database size, bytes 4-7, non-zero), that is
 * before walFrames() returns and so before SQLite publishes the commit in the wal-index, where other
 * connections could see it. Any write that is not an append (a frame rewritten in place in the same
 * transaction, a checksum rewrite) first writes the buffer, then goes straight through; so does every
 * other call on the file (read, sync, truncate, size, lock, file control, close). The file therefore
 * receives the same bytes at the same offsets in the same order as without the shim, only in fewer,
 * larger writes, and never later than SQLite's own next step that depends on them. Files other than
 * WAL files pass straight through.
 *
 * It buffers only inside a write transaction it has seen begin: from the connection's taking the
 * WAL's write lock (the database file's xShmLock) to its release, and before the commit frame; in a
 * locking mode without those calls (EXCLUSIVE, or a WAL in heap memory) every write goes straight
 * through. "An append" means: at the end of what is buffered, or, with nothing buffered, at or past the
 * end of everything the transaction has written to the WAL (a transaction rewrites in place only frames
 * it appended itself). After the commit frame (checksums redone, padding) writes go straight through.
 *
 * A write the shim deferred that fails (the disk full, an I/O error) fails with SQLITE_IOERR_WRITE, so
 * SQLite rolls the whole transaction back, and so does every later call on that WAL until the
 * connection releases the WAL's write lock: no part of that transaction can be committed. Should the
 * wal-index be about to publish a commit whose frames could not be written (a path that does not end
 * in a commit frame's page, found by the second guard), the process aborts rather than publish it.
 * `SELECT wal_combine_stats()` (on every connection opened after loading) counts the commits written
 * at their commit frame, the runs only the barrier wrote, and the failed writes, for tests.
 *
 * Loaded as a SQLite extension (store/sqlite-wal-combine.ts): it registers the VFS "wal-combine" over
 * the default VFS and makes it the default, so every connection opened afterwards, in any thread of
 * the process, uses it (SQLite's list of VFSes is process-wide). Loading it again does nothing.
 */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WAL_FRAME_HEADER 24
/* A run of appends is written once it reaches this size, commit or not. */
#define BUFFER_LIMIT (4 * 1024 * 1024)
/* Under 128 KiB: the unix VFS writes at most 128 KiB - 1 bytes a call (seekAndWriteFd masks the size). */
#define WRITE_PIECE (31 * 4096)
/* A buffer grown beyond this for a large transaction is freed once written. */
#define KEEP_CAPACITY (1024 * 1024)
/* WAL_WRITE_LOCK in wal.c: the first of the wal-index's locks. */
#define WAL_WRITE_LOCK 0

typedef struct CombineFile {
  sqlite3_file base;   /* must be first */
  sqlite3_file *real;  /* the underlying file, allocated right after this struct */
  int isWal;
  unsigned char *buf;  /* pending appends, to be written at bufStart */
  int bufUsed;
  int bufCap;
  sqlite3_int64 bufStart;
  sqlite3_int64 written;   /* the end of what the current transaction wrote (or holds) in the WAL */
  int writing;             /* the connection holds the WAL's write lock, and has not written its commit frame */
  int commitPending;       /* the last write was a commit frame's header: its page completes the commit */
  int failed;              /* a deferred write failed: SQLITE_IOERR_WRITE until the write lock is released */
  struct CombineFile *wal; /* on a database file: its connection's WAL, while open */
  struct CombineFile *db;  /* on a WAL: its database file */
} CombineFile;

static sqlite3_vfs *realVfs = 0;
static sqlite3_vfs combineVfs;
/* One table for each version of the underlying file's methods: a version-1 file has no shared memory. */
static sqlite3_io_methods methodsV1, methodsV2, methodsV3;

static struct {
  sqlite3_int64 commits;  /* runs written at their commit frame's page */
  sqlite3_int64 guarded;  /* runs the barrier before a publication found unwritten (the main path missed them) */
  sqlite3_int64 failed;   /* deferred writes that failed */
} stats;

#define COUNT(field) __atomic_fetch_add(&stats.field, 1, __ATOMIC_RELAXED)
#define REAL(f) (((CombineFile *)(f))->real)
/* The underlying file's method, once what is pending has been written (a failure to write it returned instead). */
#define FLUSH_THEN(f, method, ...)                                                  \
  do {                                                                              \
    int rc_ = flush((CombineFile *)(f));                                            \
    return rc_ != SQLITE_OK ? rc_ : REAL(f)->pMethods->method(REAL(f), __VA_ARGS__); \
  } while (0)

static int isCombineFile(const sqlite3_file *f) {
  return f->pMethods == &methodsV1 || f->pMethods == &methodsV2 || f->pMethods == &methodsV3;
}

/* Writes the pending appends. A failure is the WAL's until its write lock is released. */
static int flush(CombineFile *p) {
  int rc = SQLITE_OK, done, piece;
  if (p->failed) return p->failed;
  if (p->bufUsed == 0) return SQLITE_OK;
  for (done = 0; rc == SQLITE_OK && done < p->bufUsed; done += piece) {
    piece = p->bufUsed - done < WRITE_PIECE ? p->bufUsed - done : WRITE_PIECE;
    rc = p->real->pMethods->xWrite(p->real, p->buf + done, piece, p->bufStart + done);
  }
  p->bufUsed = 0;
  if (p->bufCap > KEEP_CAPACITY) {
    sqlite3_free(p->buf);
    p->buf = 0;
    p->bufCap = 0;
  }
  if (rc != SQLITE_OK) {
    /* An IOERR, whatever the call it surfaces on, makes SQLite roll the whole transaction back (a
       FULL could roll back only a statement, and the transaction then commit without these frames). */
    COUNT(failed);
    p->failed = SQLITE_IOERR_WRITE;
    return p->failed;
  }
  return SQLITE_OK;
}

/* From the database file's shared-memory calls: its WAL's pending appends, written first. */
static int flushWalOf(CombineFile *db, int atBarrier) {
  CombineFile *wal = db->wal;
  if (!wal || wal->bufUsed == 0) return SQLITE_OK;
  if (atBarrier) COUNT(guarded);
  return flush(wal);
}

static int cClose(sqlite3_file *f) {
  CombineFile *p = (CombineFile *)f;
  int rc = flush(p);
  int rc2 = p->real->pMethods ? p->real->pMethods->xClose(p->real) : SQLITE_OK;
  if (p->db && p->db->wal == p) p->db->wal = 0;
  if (p->wal && p->wal->db == p) p->wal->db = 0;
  sqlite3_free(p->buf);
  p->buf = 0;
  return rc != SQLITE_OK ? rc : rc2;
}

static int cRead(sqlite3_file *f, void *out, int amt, sqlite3_int64 off) {
  FLUSH_THEN(f, xRead, out, amt, off);
}

static unsigned int get4(const unsigned char *b) {
  return ((unsigned int)b[0] << 24) | ((unsigned int)b[1] << 16) | ((unsigned int)b[2] << 8) | b[3];
}

/* A write that bypasses the buffer (after writing what it holds). */
static int writeThrough(CombineFile *p, const void *data, int amt, sqlite3_int64 off) {
  int rc = flush(p);
  if (rc != SQLITE_OK) return rc;
  rc = p->real->pMethods->xWrite(p->real, data, amt, off);
  if (rc == SQLITE_OK && off + amt > p->written) p->written = off + amt;
  return rc;
}

static int cWrite(sqlite3_file *f, const void *data, int amt, sqlite3_int64 off) {
  CombineFile *p = (CombineFile *)f;
  const unsigned char *bytes = (const unsigned char *)data;
  int rc, append, fresh, completes, commitHeader;
  if (!p->isWal) return p->real->pMethods->xWrite(p->real, data, amt, off);
  if (p->failed) return p->failed;
  if (!p->writing) return writeThrough(p, data, amt, off);
  /* Decided before anything below writes the buffer: whether this write is the commit frame's page. */
  completes = p->commitPending;
  commitHeader = amt == WAL_FRAME_HEADER && get4(bytes + 4) != 0;
  p->commitPending = 0;
  /* Past everything written in this generation: a new frame, not one rewritten in place. */
  fresh = off >= p->written;
  append = p->bufUsed > 0 ? off == p->bufStart + p->bufUsed : fresh;
  if (!append || amt > WRITE_PIECE) {
    rc = writeThrough(p, data, amt, off);
    if (rc == SQLITE_OK) p->commitPending = commitHeader && fresh;
    return rc;
  }
  if (p->bufUsed + amt > BUFFER_LIMIT) {
    rc = flush(p);
    if (rc != SQLITE_OK) return rc;
  }
  if (p->bufUsed + amt > p->bufCap) {
    int cap = p->bufCap ? p->bufCap : 64 * 1024;
    unsigned char *grown;
    while (cap < p->bufUsed + amt) cap *= 2;
    if (cap > BUFFER_LIMIT) cap = BUFFER_LIMIT;
    grown = sqlite3_realloc(p->buf, cap);
    if (!grown) {
      rc = writeThrough(p, data, amt, off);
      if (rc == SQLITE_OK) p->commitPending = commitHeader;
      return rc;
    }
    p->buf = grown;
    p->bufCap = cap;
  }
  if (p->bufUsed == 0) p->bufStart = off;
  memcpy(p->buf + p->bufUsed, data, amt);
  p->bufUsed += amt;
  if (off + amt > p->written) p->written = off + amt;
  if (completes) {
    /* The commit frame's page: the transaction's frames are all here; written before it is published.
       What follows in this transaction (checksums redone, padding) goes straight through. */
    COUNT(commits);
    p->writing = 0;
    return flush(p);
  }
  p->commitPending = commitHeader;
  return SQLITE_OK;
}

static int cTruncate(sqlite3_file *f, sqlite3_int64 size) {
  CombineFile *p = (CombineFile *)f;
  int rc = flush(p);
  if (rc != SQLITE_OK) return rc;
  if (p->written > size) p->written = size;
  return p->real->pMethods->xTruncate(p->real, size);
}

static int cSync(sqlite3_file *f, int flags) {
  FLUSH_THEN(f, xSync, flags);
}

static int cFileSize(sqlite3_file *f, sqlite3_int64 *size) {
  FLUSH_THEN(f, xFileSize, size);
}

static int cLock(sqlite3_file *f, int level) {
  FLUSH_THEN(f, xLock, level);
}

static int cUnlock(sqlite3_file *f, int level) {
  FLUSH_THEN(f, xUnlock, level);
}

static int cCheckReservedLock(sqlite3_file *f, int *out) {
  return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int cFileControl(sqlite3_file *f, int op, void *arg) {
  CombineFile *p = (CombineFile *)f;
  int rc;
  if (op == SQLITE_FCNTL_VFSNAME) {
    rc = p->real->pMethods->xFileControl(p->real, op, arg);
    if (rc == SQLITE_OK) *(char **)arg = sqlite3_mprintf("wal-combine/%z", *(char **)arg);
    return rc;
  }
  FLUSH_THEN(f, xFileControl, op, arg);
}

static int cSectorSize(sqlite3_file *f) {
  return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int cDeviceCharacteristics(sqlite3_file *f) {
  return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int cShmMap(sqlite3_file *f, int page, int size, int extend, void volatile **out) {
  return REAL(f)->pMethods->xShmMap(REAL(f), page, size, extend, out);
}

/*
 * The wal-index lives in shared memory, reached through the database file. Before SQLite publishes a
 * commit there (walIndexWriteHdr calls the barrier between the header's two copies) or takes or
 * releases a lock, the WAL's pending appends are written. The commit frame's page has written them
 * already; this guards a path that does not end in one. Releasing the WAL's write lock ends a
 * transaction: a failed write is then done with.
 */
static int cShmLock(sqlite3_file *f, int offset, int n, int flags) {
  CombineFile *p = (CombineFile *)f;
  CombineFile *wal = p->wal;
  int rc = flushWalOf(p, 0);
  int writeLock = wal && offset == WAL_WRITE_LOCK;
  if (flags & SQLITE_SHM_UNLOCK) {
    if (writeLock) {
      /* The transaction is over, whatever became of it. */
      wal->writing = 0;
      wal->failed = SQLITE_OK;
      wal->commitPending = 0;
    }
    /* An unlock always happens (SQLite does not look at its result). */
    return p->real->pMethods->xShmLock(p->real, offset, n, flags);
  }
  if (rc != SQLITE_OK) return rc;
  rc = p->real->pMethods->xShmLock(p->real, offset, n, flags);
  if (rc == SQLITE_OK && writeLock && (flags & SQLITE_SHM_EXCLUSIVE)) {
    /* A write transaction begins (or a checkpoint or recovery, which write no frames). */
    wal->writing = 1;
    wal->written = 0;
    wal->commitPending = 0;
  }
  return rc;
}

static void cShmBarrier(sqlite3_file *f) {
  CombineFile *p = (CombineFile *)f;
  if (flushWalOf(p, 1) != SQLITE_OK) {
    /* A commit may be published next, its frames not in the file: better no process than that. */
    sqlite3_log(SQLITE_IOERR_WRITE, "wal-combine: a WAL write failed before a commit was published");
    fprintf(stderr, "wal-combine: a WAL write failed before a commit was published; aborting\n");
    abort();
  }
  p->real->pMethods->xShmBarrier(p->real);
}

static int cShmUnmap(sqlite3_file *f, int deleteFlag) {
  return REAL(f)->pMethods->xShmUnmap(REAL(f), deleteFlag);
}

static int cFetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **out) {
  FLUSH_THEN(f, xFetch, off, amt, out);
}

static int cUnfetch(sqlite3_file *f, sqlite3_int64 off, void *ptr) {
  return REAL(f)->pMethods->xUnfetch(REAL(f), off, ptr);
}

static int cOpen(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *outFlags) {
  CombineFile *p = (CombineFile *)f;
  int rc, version;
  (void)vfs;
  memset(p, 0, sizeof(*p));
  p->real = (sqlite3_file *)&p[1];
  rc = realVfs->xOpen(realVfs, name, p->real, flags, outFlags);
  if (rc != SQLITE_OK || !p->real->pMethods) {
    /* SQLite calls xClose only when pMethods is set: leave it unset so that nothing is closed twice. */
    if (p->real->pMethods) p->real->pMethods->xClose(p->real);
    p->base.pMethods = 0;
    return rc != SQLITE_OK ? rc : SQLITE_CANTOPEN;
  }
  p->isWal = (flags & SQLITE_OPEN_WAL) != 0;
  if (p->isWal) {
    sqlite3_file *db = name ? sqlite3_database_file_object(name) : 0;
    /* Opened by this VFS, the database file is one of ours: its shared-memory calls reach this WAL. */
    if (db && isCombineFile(db)) {
      p->db = (CombineFile *)db;
      p->db->wal = p;
    }
  }
  version = p->real->pMethods->iVersion;
  p->base.pMethods = version >= 3 ? &methodsV3 : version == 2 ? &methodsV2 : &methodsV1;
  return SQLITE_OK;
}

static int cDelete(sqlite3_vfs *v, const char *name, int syncDir) { (void)v; return realVfs->xDelete(realVfs, name, syncDir); }
static int cAccess(sqlite3_vfs *v, const char *name, int flags, int *out) { (void)v; return realVfs->xAccess(realVfs, name, flags, out); }
static int cFullPathname(sqlite3_vfs *v, const char *name, int n, char *out) { (void)v; return realVfs->xFullPathname(realVfs, name, n, out); }
static void *cDlOpen(sqlite3_vfs *v, const char *name) { (void)v; return realVfs->xDlOpen(realVfs, name); }
static void cDlError(sqlite3_vfs *v, int n, char *out) { (void)v; realVfs->xDlError(realVfs, n, out); }
static void (*cDlSym(sqlite3_vfs *v, void *h, const char *sym))(void) { (void)v; return realVfs->xDlSym(realVfs, h, sym); }
static void cDlClose(sqlite3_vfs *v, void *h) { (void)v; realVfs->xDlClose(realVfs, h); }
static int cRandomness(sqlite3_vfs *v, int n, char *out) { (void)v; return realVfs->xRandomness(realVfs, n, out); }
static int cSleep(sqlite3_vfs *v, int us) { (void)v; return realVfs->xSleep(realVfs, us); }
static int cCurrentTime(sqlite3_vfs *v, double *out) { (void)v; return realVfs->xCurrentTime(realVfs, out); }
static int cGetLastError(sqlite3_vfs *v, int n, char *out) { (void)v; return realVfs->xGetLastError ? realVfs->xGetLastError(realVfs, n, out) : 0; }
static int cCurrentTimeInt64(sqlite3_vfs *v, sqlite3_int64 *out) { (void)v; return realVfs->xCurrentTimeInt64(realVfs, out); }

static void statsFunction(sqlite3_context *context, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_text(context,
    sqlite3_mprintf("{\"commits\":%lld,\"guarded\":%lld,\"failed\":%lld}",
      __atomic_load_n(&stats.commits, __ATOMIC_RELAXED), __atomic_load_n(&stats.guarded, __ATOMIC_RELAXED),
      __atomic_load_n(&stats.failed, __ATOMIC_RELAXED)),
    -1, sqlite3_free);
}

static int registerFunctions(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
  (void)error;
  (void)api;
  return sqlite3_create_function(db, "wal_combine_stats", 0, SQLITE_UTF8, 0, statsFunction, 0, 0);
}

static int registerVfs(char **error) {
  realVfs = sqlite3_vfs_find(0);
  if (!realVfs || realVfs->iVersion < 2) {
    *error = sqlite3_mprintf("wal-combine: the default VFS is missing or older than version 2");
    return SQLITE_ERROR;
  }
  methodsV1.iVersion = 1;
  methodsV1.xClose = cClose;
  methodsV1.xRead = cRead;
  methodsV1.xWrite = cWrite;
  methodsV1.xTruncate = cTruncate;
  methodsV1.xSync = cSync;
  methodsV1.xFileSize = cFileSize;
  methodsV1.xLock = cLock;
  methodsV1.xUnlock = cUnlock;
  methodsV1.xCheckReservedLock = cCheckReservedLock;
  methodsV1.xFileControl = cFileControl;
  methodsV1.xSectorSize = cSectorSize;
  methodsV1.xDeviceCharacteristics = cDeviceCharacteristics;
  methodsV2 = methodsV1;
  methodsV2.iVersion = 2;
  methodsV2.xShmMap = cShmMap;
  methodsV2.xShmLock = cShmLock;
  methodsV2.xShmBarrier = cShmBarrier;
  methodsV2.xShmUnmap = cShmUnmap;
  methodsV3 = methodsV2;
  methodsV3.iVersion = 3;
  methodsV3.xFetch = cFetch;
  methodsV3.xUnfetch = cUnfetch;
  combineVfs.iVersion = 2;
  combineVfs.szOsFile = (int)sizeof(CombineFile) + realVfs->szOsFile;
  combineVfs.mxPathname = realVfs->mxPathname;
  combineVfs.zName = "wal-combine";
  combineVfs.xOpen = cOpen;
  combineVfs.xDelete = cDelete;
  combineVfs.xAccess = cAccess;
  combineVfs.xFullPathname = cFullPathname;
  combineVfs.xDlOpen = cDlOpen;
  combineVfs.xDlError = cDlError;
  combineVfs.xDlSym = cDlSym;
  combineVfs.xDlClose = cDlClose;
  combineVfs.xRandomness = cRandomness;
  combineVfs.xSleep = cSleep;
  combineVfs.xCurrentTime = cCurrentTime;
  combineVfs.xGetLastError = cGetLastError;
  combineVfs.xCurrentTimeInt64 = cCurrentTimeInt64;
  if (sqlite3_vfs_register(&combineVfs, 1) != SQLITE_OK) {
    *error = sqlite3_mprintf("wal-combine: the VFS could not be registered");
    return SQLITE_ERROR;
  }
  /* wal_combine_stats() on every connection opened from now on. */
  sqlite3_auto_extension((void (*)(void))registerFunctions);
  return SQLITE_OK;
}

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_walcombine_init(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
  sqlite3_mutex *mutex;
  int rc = SQLITE_OK;
  SQLITE_EXTENSION_INIT2(api);
  /* sqlite3_database_file_object came with 3.32. */
  if (sqlite3_libversion_number() < 3032000) {
    *error = sqlite3_mprintf("wal-combine needs SQLite 3.32 or later, not %s", sqlite3_libversion());
    return SQLITE_ERROR;
  }
  mutex = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_APP1);
  sqlite3_mutex_enter(mutex);
  if (!sqlite3_vfs_find("wal-combine")) rc = registerVfs(error);
  sqlite3_mutex_leave(mutex);
  if (rc == SQLITE_OK) rc = registerFunctions(db, error, api);
  return rc == SQLITE_OK ? SQLITE_OK_LOAD_PERMANENTLY : rc;
}
