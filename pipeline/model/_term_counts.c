/* The model's term counts in C (used by pipeline/model/compiled_counts.py): the same matrix as
 * TagModel.numpy_term_counts, which stays as the fallback and as the reference the tests compare
 * this with. For each text: its words and their 63-bit hashes (pipeline.model.words.word_hashes),
 * their ids, the bigrams of neighbouring content words, and the counts of its vocabulary columns
 * in column order. The look-ups of a text are prefetched before they are read, so that they wait
 * on memory together rather than one after another (the bigram table is many MiB).
 *
 * fill_table(codes, values, slots, bits)
 *     An open-addressing table (linear probing, Fibonacci hashing) of distinct int64 codes >= 0:
 *     slots holds 2**bits (code, value) pairs, filled with -1 by the caller.
 * count_terms(data, table, n_texts, word_slots, word_bits, bigram_slots, bigram_bits, unigram_column,
 *             n_words, n_columns, indptr_out, indices_out, counts_out)
 *     data: the texts, UTF-8, joined by NUL bytes; each byte is read as table (256 bytes) maps it,
 *     which gives the normalised text (pipeline.model.words.joined_for_counts; NUL stays NUL, and
 *     ends a text). Word ids are looked up in word_slots
 *     (-1: a function word, left out; missing: unknown, n_words), a word id's unigram column in
 *     unigram_column (n_words + 1 entries, -1: none), a bigram (first id * n_words + second id)
 *     in bigram_slots. Fills indptr_out (n_texts + 1 int64), indices_out (int32) and counts_out
 *     (float32), which must hold one more term than data has bytes; returns the terms written.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>

#define BASE 0x100000001B3ULL
#define LENGTH_MIX 0x9E3779B97F4A7C15ULL
#define FIBONACCI 0x9E3779B97F4A7C15ULL

static uint64_t finalise(uint64_t v) {
    v ^= v >> 30;
    v *= 0xBF58476D1CE4E5B9ULL;
    v ^= v >> 27;
    v *= 0x94D049BB133111EBULL;
    return v ^ (v >> 31);
}

typedef struct {
    const int64_t *slots;  /* key, value, key, value, ...: a key and its value in one cache line */
    int bits;
    uint64_t mask;
} Table;

static uint64_t home(const Table *table, int64_t code) {
    return ((uint64_t)code * FIBONACCI) >> (64 - table->bits);
}

static void prefetch(const Table *table, int64_t code) {
    __builtin_prefetch(table->slots + 2 * home(table, code));
}

static int64_t look_up(const Table *table, int64_t code, int64_t missing) {
    uint64_t slot = home(table, code);
    for (;;) {
        int64_t key = table->slots[2 * slot];
        if (key == code) return table->slots[2 * slot + 1];
        if (key == -1) return missing;
        slot = (slot + 1) & table->mask;
    }
}

static int get_buffer(PyObject *object, Py_buffer *view, Py_ssize_t item, int writable, const char *name) {
    if (PyObject_GetBuffer(object, view, PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0)) < 0) return -1;
    if (view->itemsize != item && item != 1) {
        PyErr_Format(PyExc_TypeError, "%s: items of %zd bytes expected", name, item);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

static PyObject *fill_table(PyObject *self, PyObject *args) {
    PyObject *codes_object, *values_object, *slots_object;
    int bits;
    if (!PyArg_ParseTuple(args, "OOOi", &codes_object, &values_object, &slots_object, &bits)) return NULL;
    if (bits < 1 || bits > 40) return PyErr_Format(PyExc_ValueError, "bits %d out of range", bits);
    Py_buffer codes, values, slots;
    if (get_buffer(codes_object, &codes, 8, 0, "codes") < 0) return NULL;
    if (get_buffer(values_object, &values, 8, 0, "values") < 0) {
        PyBuffer_Release(&codes);
        return NULL;
    }
    if (get_buffer(slots_object, &slots, 8, 1, "slots") < 0) {
        PyBuffer_Release(&values);
        PyBuffer_Release(&codes);
        return NULL;
    }
    Py_ssize_t count = codes.len / 8, size = (Py_ssize_t)1 << bits;
    PyObject *result = NULL;
    if (values.len / 8 != count || slots.len / 16 != size || count >= size) {
        PyErr_SetString(PyExc_ValueError, "fill_table: sizes do not agree");
    } else {
        const int64_t *code = codes.buf, *value = values.buf;
        int64_t *slot_of = slots.buf;
        Table table = {slot_of, bits, (uint64_t)size - 1};
        for (Py_ssize_t i = 0; i < count; i++) {
            uint64_t slot = home(&table, code[i]);
            while (slot_of[2 * slot] != -1 && slot_of[2 * slot] != code[i]) slot = (slot + 1) & table.mask;
            slot_of[2 * slot] = code[i];
            slot_of[2 * slot + 1] = value[i];
        }
        result = Py_None;
        Py_INCREF(result);
    }
    PyBuffer_Release(&slots);
    PyBuffer_Release(&values);
    PyBuffer_Release(&codes);
    return result;
}

/* Sort a text's term columns (LSD radix sort, a byte a pass) and write each once with its count. */
static Py_ssize_t write_counts(int32_t *columns, int32_t *scratch, Py_ssize_t n, int passes,
                               int32_t *indices, float *counts) {
    for (int pass = 0; pass < passes; pass++) {
        Py_ssize_t bucket[257] = {0};
        int shift = 8 * pass;
        for (Py_ssize_t i = 0; i < n; i++) bucket[((columns[i] >> shift) & 0xFF) + 1]++;
        for (int b = 0; b < 256; b++) bucket[b + 1] += bucket[b];
        for (Py_ssize_t i = 0; i < n; i++) scratch[bucket[(columns[i] >> shift) & 0xFF]++] = columns[i];
        int32_t *swap = columns;
        columns = scratch;
        scratch = swap;
    }
    Py_ssize_t written = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (written && indices[written - 1] == columns[i]) {
            counts[written - 1] += 1.0f;
        } else {
            indices[written] = columns[i];
            counts[written++] = 1.0f;
        }
    }
    return written;
}

static PyObject *count_terms(PyObject *self, PyObject *args) {
    PyObject *objects[8];
    Py_ssize_t n_texts, n_words, n_columns;
    int word_bits, bigram_bits;
    if (!PyArg_ParseTuple(args, "OOnOiOiOnnOOO", &objects[0], &objects[1], &n_texts, &objects[2], &word_bits,
                          &objects[3], &bigram_bits, &objects[4], &n_words, &n_columns, &objects[5], &objects[6],
                          &objects[7]))
        return NULL;
    static const Py_ssize_t items[8] = {1, 1, 8, 8, 8, 8, 4, 4};
    static const char *names[8] = {"data", "table", "word_slots", "bigram_slots", "unigram_column", "indptr_out",
                                   "indices_out", "counts_out"};
    Py_buffer views[8];
    int got = 0;
    for (; got < 8; got++)
        if (get_buffer(objects[got], &views[got], items[got], got >= 5, names[got]) < 0) break;
    PyObject *result = NULL;
    int64_t *ids = NULL;
    int32_t *columns = NULL;
    if (got < 8) goto done;
    const unsigned char *raw = views[0].buf, *table = views[1].buf;
    Py_ssize_t length = views[0].len;
    if (views[1].len != 256 || table[0] != 0 || word_bits < 1 || word_bits > 40 || bigram_bits < 1
        || bigram_bits > 40 || views[2].len != ((Py_ssize_t)16 << word_bits)
        || views[3].len != ((Py_ssize_t)16 << bigram_bits) || views[4].len / 8 != n_words + 1
        || views[5].len / 8 != n_texts + 1 || views[6].len / 4 < length + 1 || views[7].len / 4 < length + 1
        || n_columns < 1) {
        PyErr_SetString(PyExc_ValueError, "count_terms: sizes do not agree");
        goto done;
    }
    for (int byte = 1; byte < 256; byte++) {
        if (table[byte] == 0) {
            PyErr_SetString(PyExc_ValueError, "count_terms: the table maps a byte other than NUL to NUL");
            goto done;
        }
    }
    Table words = {views[2].buf, word_bits, ((uint64_t)1 << word_bits) - 1};
    Table bigrams = {views[3].buf, bigram_bits, ((uint64_t)1 << bigram_bits) - 1};
    const int64_t *unigram_column = views[4].buf;
    int64_t *indptr = views[5].buf;
    int32_t *indices = views[6].buf;
    float *counts = views[7].buf;
    int passes = 1;  /* radix sort passes: enough bytes for the largest column */
    while (passes < 4 && (n_columns - 1) >> (8 * passes)) passes++;
    ids = malloc(sizeof(int64_t) * (length / 2 + 2));  /* a text's word hashes, then ids (words < bytes / 2 + 1) */
    columns = malloc(sizeof(int32_t) * 2 * (length + 1));  /* a text's columns, and the radix sort's scratch */
    if (ids == NULL || columns == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t position = 0, written = 0;
    indptr[0] = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t text = 0; text < n_texts; text++) {
        /* 1. the hash of each word of two or more characters (a word of one is left out, as
           function words are, so that its neighbours make a bigram), each slot prefetched */
        Py_ssize_t n = 0;
        while (position < length && table[raw[position]] != 0) {
            if (table[raw[position]] <= ' ') {
                position++;
                continue;
            }
            Py_ssize_t start = position;
            uint64_t hash = 0, power = 1;
            unsigned char byte;
            while (position < length && (byte = table[raw[position]]) > ' ') {
                hash += ((uint64_t)byte + 1) * power;
                power *= BASE;
                position++;
            }
            Py_ssize_t size = position - start;
            unsigned char lead = table[raw[start]];
            if (size == 1 + (lead >= 0xC0) + (lead >= 0xE0) + (lead >= 0xF0)) continue;
            ids[n] = (int64_t)(finalise(hash ^ ((uint64_t)size * LENGTH_MIX)) >> 1);
            prefetch(&words, ids[n++]);
        }
        position++;  /* (past the NUL that ends the text) */
        /* 2. word ids (n_words: not in the vocabulary); function words (-1) dropped */
        Py_ssize_t content = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            int64_t id = look_up(&words, ids[i], n_words);
            if (id >= 0) ids[content++] = id;
        }
        /* 3. unigram columns, and the codes of bigrams of known words, prefetched */
        Py_ssize_t terms = 0;
        for (Py_ssize_t i = 0; i < content; i++) {
            int64_t column = unigram_column[ids[i]];
            if (column >= 0) columns[terms++] = (int32_t)column;
            if (i + 1 < content && ids[i] < n_words && ids[i + 1] < n_words)
                prefetch(&bigrams, ids[i] * n_words + ids[i + 1]);
        }
        /* 4. bigram columns */
        for (Py_ssize_t i = 0; i + 1 < content; i++) {
            if (ids[i] < n_words && ids[i + 1] < n_words) {
                int64_t column = look_up(&bigrams, ids[i] * n_words + ids[i + 1], -1);
                if (column >= 0) columns[terms++] = (int32_t)column;
            }
        }
        written += write_counts(columns, columns + length + 1, terms, passes, indices + written, counts + written);
        indptr[text + 1] = written;
    }
    Py_END_ALLOW_THREADS
    result = PyLong_FromSsize_t(written);
done:
    free(ids);
    free(columns);
    for (int i = 0; i < got; i++) PyBuffer_Release(&views[i]);
    return result;
}

static PyMethodDef methods[] = {
    {"fill_table", fill_table, METH_VARARGS, "Fill an open-addressing table of int64 codes."},
    {"count_terms", count_terms, METH_VARARGS, "Term counts of texts joined by NUL, read through a byte table."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_term_counts", NULL, -1, methods};

PyMODINIT_FUNC PyInit__term_counts(void) { return PyModule_Create(&module); }
