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
 * "An append" means: at the end of what is buffered, or, with nothing buffered, at or past the end of
 * everything this connection has written to the WAL in its current generation. A new generation
 * starts with the WAL header (offset 0) or, after another connection restarted the WAL, with frames
 * whose salts differ from the ones seen before; rewrites within a transaction always carry the salts
 * of the generation that transaction writes.
 *
 * Loaded as a SQLite extension (store/sqlite-wal-combine.ts): it registers the VFS "wal-combine" over
 * the default VFS and makes it the default, so every connection opened afterwards, in any thread of
 * the process, uses it (SQLite's list of VFSes is process-wide). Loading it again does nothing.
 */
#include "sqlite3ext.h"
SQLITE_EXTENSION_INIT1
#include <string.h>

#define WAL_FRAME_HEADER 24
#define BUFFER_LIMIT (4 * 1024 * 1024)
#define WRITE_PIECE (31 * 4096)

typedef struct CombineFile {
  sqlite3_file base;   /* must be first */
  sqlite3_file *real;  /* the underlying file, allocated right after this struct */
  int isWal;
  unsigned char *buf;  /* pending appends */
  int bufUsed;
  int bufCap;
  sqlite3_int64 bufStart;  /* file offset of buf[0] */
  sqlite3_int64 written;   /* end of the furthest byte written (or pending) since open or the last WAL header */
  unsigned char salt[8];   /* the WAL generation `written` belongs to (frame headers carry its salts) */
  int commitPending;       /* the last append was a commit frame's header: flush after its page */
  int laterError;          /* a flush failed where no error could be returned: returned by the next call */
  struct CombineFile *wal; /* on a database file: its connection's WAL, while open */
  struct CombineFile *db;  /* on a WAL: its database file */
} CombineFile;

static sqlite3_vfs *realVfs = 0;
static sqlite3_vfs combineVfs;
static sqlite3_io_methods combineMethods;

#define REAL(f) (((CombineFile *)(f))->real)

static int flush(CombineFile *p) {
  int rc, done, piece;
  if (p->laterError) {
    rc = p->laterError;
    p->laterError = SQLITE_OK;
    return rc;
  }
  if (p->bufUsed == 0) return SQLITE_OK;
  /* In pieces: the unix VFS writes at most 128 KiB - 1 bytes a call (seekAndWriteFd masks the size). */
  for (done = 0, rc = SQLITE_OK; rc == SQLITE_OK && done < p->bufUsed; done += piece) {
    piece = p->bufUsed - done < WRITE_PIECE ? p->bufUsed - done : WRITE_PIECE;
    rc = p->real->pMethods->xWrite(p->real, p->buf + done, piece, p->bufStart + done);
  }
  /* Written or failed, the buffer is done with: a failed write fails the transaction that made it. */
  p->bufUsed = 0;
  p->commitPending = 0;
  return rc;
}

/* From the database file's shared-memory calls: its WAL's pending frames are written first. */
static void flushWalOf(CombineFile *db) {
  CombineFile *wal = db->wal;
  if (wal && wal->bufUsed > 0) {
    int rc = flush(wal);
    if (rc != SQLITE_OK) wal->laterError = rc;
  }
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
  CombineFile *p = (CombineFile *)f;
  int rc = flush(p);
  if (rc != SQLITE_OK) return rc;
  return p->real->pMethods->xRead(p->real, out, amt, off);
}

static unsigned int get4(const unsigned char *b) {
  return ((unsigned int)b[0] << 24) | ((unsigned int)b[1] << 16) | ((unsigned int)b[2] << 8) | b[3];
}

static int cWrite(sqlite3_file *f, const void *data, int amt, sqlite3_int64 off) {
  CombineFile *p = (CombineFile *)f;
  int rc;
  int append;
  if (!p->isWal) return p->real->pMethods->xWrite(p->real, data, amt, off);
  if (p->laterError) return flush(p);
  /* A new WAL generation (its header at offset 0, or frames with other salts, written after another
     connection restarted the WAL): nothing this connection wrote before is part of it. */
  if (off == 0) p->written = 0;
  if (amt == WAL_FRAME_HEADER && memcmp((const unsigned char *)data + 8, p->salt, 8) != 0) {
    memcpy(p->salt, (const unsigned char *)data + 8, 8);
    p->written = 0;
  }
  append = p->bufUsed > 0 ? off == p->bufStart + p->bufUsed : off >= p->written;
  if (!append || amt > WRITE_PIECE) {
    rc = flush(p);
    if (rc != SQLITE_OK) return rc;
    rc = p->real->pMethods->xWrite(p->real, data, amt, off);
    if (rc == SQLITE_OK && off + amt > p->written) p->written = off + amt;
    return rc;
  }
  if (p->bufUsed + amt > p->bufCap) {
    if (p->bufUsed + amt > BUFFER_LIMIT) {
      rc = flush(p);
      if (rc != SQLITE_OK) return rc;
    } else {
      int cap = p->bufCap ? p->bufCap : 64 * 1024;
      unsigned char *grown;
      while (cap < p->bufUsed + amt) cap *= 2;
      grown = sqlite3_realloc(p->buf, cap);
      if (!grown) {
        rc = flush(p);
        if (rc != SQLITE_OK) return rc;
        rc = p->real->pMethods->xWrite(p->real, data, amt, off);
        if (rc == SQLITE_OK && off + amt > p->written) p->written = off + amt;
        return rc;
      }
      p->buf = grown;
      p->bufCap = cap;
    }
  }
  if (p->bufUsed == 0) p->bufStart = off;
  memcpy(p->buf + p->bufUsed, data, amt);
  p->bufUsed += amt;
  if (off + amt > p->written) p->written = off + amt;
  if (p->commitPending) {
    /* The commit frame's page: the transaction's frames are complete, write them before it is published. */
    return flush(p);
  }
  if (amt == WAL_FRAME_HEADER && get4((const unsigned char *)data + 4) != 0) p->commitPending = 1;
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
  CombineFile *p = (CombineFile *)f;
  int rc = flush(p);
  if (rc != SQLITE_OK) return rc;
  return p->real->pMethods->xSync(p->real, flags);
}

static int cFileSize(sqlite3_file *f, sqlite3_int64 *size) {
  CombineFile *p = (CombineFile *)f;
  int rc = flush(p);
  if (rc != SQLITE_OK) return rc;
  return p->real->pMethods->xFileSize(p->real, size);
}

static int cLock(sqlite3_file *f, int level) {
  CombineFile *p = (CombineFile *)f;
  int rc = flush(p);
  if (rc != SQLITE_OK) return rc;
  return p->real->pMethods->xLock(p->real, level);
}

static int cUnlock(sqlite3_file *f, int level) {
  CombineFile *p = (CombineFile *)f;
  int rc = flush(p);
  if (rc != SQLITE_OK) return rc;
  return p->real->pMethods->xUnlock(p->real, level);
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
  rc = flush(p);
  if (rc != SQLITE_OK) return rc;
  return p->real->pMethods->xFileControl(p->real, op, arg);
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
 * commit there (walIndexWriteHdr calls the barrier between the header's two copies) or releases a
 * lock, the WAL's pending frames are written. The commit frame has flushed them already; this only
 * guards against a path that does not end in one.
 */
static int cShmLock(sqlite3_file *f, int offset, int n, int flags) {
  CombineFile *p = (CombineFile *)f;
  flushWalOf(p);
  return p->real->pMethods->xShmLock(p->real, offset, n, flags);
}

static void cShmBarrier(sqlite3_file *f) {
  CombineFile *p = (CombineFile *)f;
  flushWalOf(p);
  p->real->pMethods->xShmBarrier(p->real);
}

static int cShmUnmap(sqlite3_file *f, int deleteFlag) {
  return REAL(f)->pMethods->xShmUnmap(REAL(f), deleteFlag);
}

static int cFetch(sqlite3_file *f, sqlite3_int64 off, int amt, void **out) {
  CombineFile *p = (CombineFile *)f;
  int rc = flush(p);
  if (rc != SQLITE_OK) return rc;
  if (p->real->pMethods->iVersion < 3) {
    *out = 0;
    return SQLITE_OK;
  }
  return p->real->pMethods->xFetch(p->real, off, amt, out);
}

static int cUnfetch(sqlite3_file *f, sqlite3_int64 off, void *ptr) {
  if (REAL(f)->pMethods->iVersion < 3) return SQLITE_OK;
  return REAL(f)->pMethods->xUnfetch(REAL(f), off, ptr);
}

static int cOpen(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *outFlags) {
  CombineFile *p = (CombineFile *)f;
  int rc;
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
    sqlite3_int64 size = 0;
    sqlite3_file *db = name ? sqlite3_database_file_object(name) : 0;
    if (p->real->pMethods->xFileSize(p->real, &size) == SQLITE_OK) p->written = size;
    /* Opened by this VFS, the database file is one of ours: its shared-memory calls reach this WAL. */
    if (db && db->pMethods == &combineMethods) {
      p->db = (CombineFile *)db;
      p->db->wal = p;
    }
  }
  p->base.pMethods = &combineMethods;
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

static int registerVfs(void);

#ifdef _WIN32
__declspec(dllexport)
#endif
int sqlite3_walcombine_init(sqlite3 *db, char **error, const sqlite3_api_routines *api) {
  (void)db;
  (void)error;
  sqlite3_mutex *mutex;
  int rc = SQLITE_OK_LOAD_PERMANENTLY;
  SQLITE_EXTENSION_INIT2(api);
  mutex = sqlite3_mutex_alloc(SQLITE_MUTEX_STATIC_APP1);
  sqlite3_mutex_enter(mutex);
  if (!sqlite3_vfs_find("wal-combine")) rc = registerVfs();
  sqlite3_mutex_leave(mutex);
  return rc;
}

static int registerVfs(void) {
  realVfs = sqlite3_vfs_find(0);
  if (!realVfs || realVfs->iVersion < 2) return SQLITE_ERROR;
  combineMethods.iVersion = 3;
  combineMethods.xClose = cClose;
  combineMethods.xRead = cRead;
  combineMethods.xWrite = cWrite;
  combineMethods.xTruncate = cTruncate;
  combineMethods.xSync = cSync;
  combineMethods.xFileSize = cFileSize;
  combineMethods.xLock = cLock;
  combineMethods.xUnlock = cUnlock;
  combineMethods.xCheckReservedLock = cCheckReservedLock;
  combineMethods.xFileControl = cFileControl;
  combineMethods.xSectorSize = cSectorSize;
  combineMethods.xDeviceCharacteristics = cDeviceCharacteristics;
  combineMethods.xShmMap = cShmMap;
  combineMethods.xShmLock = cShmLock;
  combineMethods.xShmBarrier = cShmBarrier;
  combineMethods.xShmUnmap = cShmUnmap;
  combineMethods.xFetch = cFetch;
  combineMethods.xUnfetch = cUnfetch;
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
  if (sqlite3_vfs_register(&combineVfs, 1) != SQLITE_OK) return SQLITE_ERROR;
  return SQLITE_OK_LOAD_PERMANENTLY;
}
