/* dcemodule.c - dce._dce, the CPython binding of the scenario layer's C API
 * (src/scenario/scenario.h). The classes users see (dce.Network, Node, Process)
 * are in dce/__init__.py over these functions; every refused call raises
 * dce.Error with the scenario layer's one-line message. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include "../scenario/scenario.h"

static PyObject *dce_error;

static const char kCapsule[] = "dce.scenario";

static void
capsule_free(PyObject *cap)
{
	struct dce_scenario *s = PyCapsule_GetPointer(cap, kCapsule);
	if (s)
		dce_scenario_free(s);
}

static struct dce_scenario *
get(PyObject *cap)
{
	return PyCapsule_GetPointer(cap, kCapsule);
}

static PyObject *
fail(struct dce_scenario *s)
{
	PyErr_SetString(dce_error, dce_scenario_error(s));
	return NULL;
}

/* an int result: >= 0 is returned, < 0 raises */
static PyObject *
result(struct dce_scenario *s, int r)
{
	return r < 0 ? fail(s) : PyLong_FromLong(r);
}

static PyObject *
py_new(PyObject *self, PyObject *args)
{
	return PyCapsule_New(dce_scenario_new(), kCapsule, capsule_free);
}

static PyObject *
py_where(PyObject *self, PyObject *args)
{
	PyObject *cap;
	const char *w;
	if (!PyArg_ParseTuple(args, "Os", &cap, &w) || !get(cap))
		return NULL;
	dce_scenario_where(get(cap), w);
	Py_RETURN_NONE;
}

static PyObject *
py_set(PyObject *self, PyObject *args)
{
	PyObject *cap;
	const char *k, *v;
	if (!PyArg_ParseTuple(args, "Oss", &cap, &k, &v) || !get(cap))
		return NULL;
	return result(get(cap), dce_scenario_set(get(cap), k, v));
}

static PyObject *
py_add_node(PyObject *self, PyObject *args)
{
	PyObject *cap;
	const char *name, *stack;
	if (!PyArg_ParseTuple(args, "Oss", &cap, &name, &stack) || !get(cap))
		return NULL;
	return result(get(cap), dce_scenario_add_node(get(cap), name, stack));
}

static PyObject *
py_node_index(PyObject *self, PyObject *args)
{
	PyObject *cap;
	const char *name;
	if (!PyArg_ParseTuple(args, "Os", &cap, &name) || !get(cap))
		return NULL;
	return PyLong_FromLong(dce_scenario_node_index(get(cap), name));
}

static PyObject *
py_node_count(PyObject *self, PyObject *args)
{
	PyObject *cap;
	if (!PyArg_ParseTuple(args, "O", &cap) || !get(cap))
		return NULL;
	return PyLong_FromLong(dce_scenario_node_count(get(cap)));
}

static PyObject *
py_process_count(PyObject *self, PyObject *args)
{
	PyObject *cap;
	if (!PyArg_ParseTuple(args, "O", &cap) || !get(cap))
		return NULL;
	return PyLong_FromLong(dce_scenario_process_count(get(cap)));
}

static PyObject *
py_node_name(PyObject *self, PyObject *args)
{
	PyObject *cap;
	int i;
	if (!PyArg_ParseTuple(args, "Oi", &cap, &i) || !get(cap))
		return NULL;
	const char *n = dce_scenario_node_name(get(cap), i);
	if (!n)
		return PyErr_Format(PyExc_IndexError, "no node %d", i);
	return PyUnicode_FromString(n);
}

/* node_sysctl / node_file: (cap, node, a, b) */
static PyObject *
py_node_kv(PyObject *args, int file)
{
	PyObject *cap;
	int node;
	const char *a, *b;
	if (!PyArg_ParseTuple(args, "Oiss", &cap, &node, &a, &b) || !get(cap))
		return NULL;
	return result(get(cap), file ? dce_scenario_node_file(get(cap), node, a, b)
				     : dce_scenario_node_sysctl(get(cap), node, a, b));
}

static PyObject *
py_node_sysctl(PyObject *self, PyObject *args)
{
	return py_node_kv(args, 0);
}

static PyObject *
py_node_file(PyObject *self, PyObject *args)
{
	return py_node_kv(args, 1);
}

static PyObject *
py_node_position(PyObject *self, PyObject *args)
{
	PyObject *cap;
	int node;
	const char *xyz;
	if (!PyArg_ParseTuple(args, "Ois", &cap, &node, &xyz) || !get(cap))
		return NULL;
	return result(get(cap), dce_scenario_node_position(get(cap), node, xyz));
}

static PyObject *
py_node_pcap(PyObject *self, PyObject *args)
{
	PyObject *cap;
	int node;
	if (!PyArg_ParseTuple(args, "Oi", &cap, &node) || !get(cap))
		return NULL;
	return result(get(cap), dce_scenario_node_pcap(get(cap), node));
}

static PyObject *
py_node_rank(PyObject *self, PyObject *args)
{
	PyObject *cap;
	int node, rank;
	if (!PyArg_ParseTuple(args, "Oii", &cap, &node, &rank) || !get(cap))
		return NULL;
	return result(get(cap), dce_scenario_node_rank(get(cap), node, rank));
}

/* a list of ints or of strings as a C array (freed by the caller with PyMem_Free) */
static int
int_list(PyObject *seq, int **out, Py_ssize_t *n)
{
	PyObject *fast = PySequence_Fast(seq, "expected a list");
	if (!fast)
		return -1;
	*n = PySequence_Fast_GET_SIZE(fast);
	*out = PyMem_Calloc(*n + 1, sizeof(int));
	for (Py_ssize_t i = 0; i < *n; i++) {
		long v = PyLong_AsLong(PySequence_Fast_GET_ITEM(fast, i));
		if (v == -1 && PyErr_Occurred()) {
			Py_DECREF(fast);
			PyMem_Free(*out);
			return -1;
		}
		(*out)[i] = (int)v;
	}
	Py_DECREF(fast);
	return 0;
}

/* strings: a NULL-terminated array of UTF-8 pointers valid while `fast` lives */
static PyObject *
str_list(PyObject *seq, const char ***out)
{
	PyObject *fast = PySequence_Fast(seq, "expected a list of strings");
	if (!fast)
		return NULL;
	Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
	*out = PyMem_Calloc(n + 1, sizeof(char *));
	for (Py_ssize_t i = 0; i < n; i++) {
		PyObject *o = PySequence_Fast_GET_ITEM(fast, i);
		const char *c = PyUnicode_Check(o) ? PyUnicode_AsUTF8(o) : NULL;
		if (!c) {
			if (!PyErr_Occurred())
				PyErr_SetString(PyExc_TypeError, "expected a list of strings");
			PyMem_Free(*out);
			Py_DECREF(fast);
			return NULL;
		}
		(*out)[i] = c;
	}
	return fast;
}

static PyObject *
py_add_link(PyObject *self, PyObject *args)
{
	PyObject *cap, *nodes;
	const char *kind;
	if (!PyArg_ParseTuple(args, "OsO", &cap, &kind, &nodes) || !get(cap))
		return NULL;
	int *v;
	Py_ssize_t n;
	if (int_list(nodes, &v, &n))
		return NULL;
	int r = dce_scenario_add_link(get(cap), kind, v, (int)n);
	PyMem_Free(v);
	return result(get(cap), r);
}

static PyObject *
py_link_set(PyObject *self, PyObject *args)
{
	PyObject *cap;
	int link;
	const char *k, *v;
	if (!PyArg_ParseTuple(args, "Oiss", &cap, &link, &k, &v) || !get(cap))
		return NULL;
	return result(get(cap), dce_scenario_link_set(get(cap), link, k, v));
}

static PyObject *
py_link_address(PyObject *self, PyObject *args)
{
	PyObject *cap;
	int link, node;
	const char *a;
	if (!PyArg_ParseTuple(args, "Oiis", &cap, &link, &node, &a) || !get(cap))
		return NULL;
	return result(get(cap), dce_scenario_link_address(get(cap), link, node, a));
}

static PyObject *
py_add_route(PyObject *self, PyObject *args)
{
	PyObject *cap;
	int node;
	const char *dst, *via, *dev;
	if (!PyArg_ParseTuple(args, "Oiszz", &cap, &node, &dst, &via, &dev) || !get(cap))
		return NULL;
	return result(get(cap), dce_scenario_add_route(get(cap), node, dst, via, dev));
}

static PyObject *
py_generate(PyObject *self, PyObject *args)
{
	PyObject *cap, *opts;
	const char *shape, *prefix, *stack;
	int n, arg;
	if (!PyArg_ParseTuple(args, "OsissiO", &cap, &shape, &n, &prefix, &stack, &arg, &opts) || !get(cap))
		return NULL;
	const char **o;
	PyObject *keep = str_list(opts, &o);
	if (!keep)
		return NULL;
	int r = dce_scenario_generate(get(cap), shape, n, prefix, stack, arg, o);
	PyMem_Free(o);
	Py_DECREF(keep);
	return result(get(cap), r);
}

static PyObject *
py_add_process(PyObject *self, PyObject *args)
{
	PyObject *cap, *argv;
	int node;
	if (!PyArg_ParseTuple(args, "OiO", &cap, &node, &argv) || !get(cap))
		return NULL;
	if (PyUnicode_Check(argv)) {
		const char *c = PyUnicode_AsUTF8(argv);
		if (!c)
			return NULL;
		return result(get(cap), dce_scenario_add_command(get(cap), node, c));
	}
	const char **v;
	PyObject *keep = str_list(argv, &v);
	if (!keep)
		return NULL;
	int r = dce_scenario_add_process(get(cap), node, v);
	PyMem_Free(v);
	Py_DECREF(keep);
	return result(get(cap), r);
}

static PyObject *
py_process_set(PyObject *self, PyObject *args)
{
	PyObject *cap;
	int proc;
	const char *k, *v;
	if (!PyArg_ParseTuple(args, "Oiss", &cap, &proc, &k, &v) || !get(cap))
		return NULL;
	return result(get(cap), dce_scenario_process_set(get(cap), proc, k, v));
}

static PyObject *
py_check(PyObject *self, PyObject *args)
{
	PyObject *cap;
	if (!PyArg_ParseTuple(args, "O", &cap) || !get(cap))
		return NULL;
	return result(get(cap), dce_scenario_check(get(cap)));
}

static PyObject *
py_save(PyObject *self, PyObject *args)
{
	PyObject *cap;
	const char *path;
	if (!PyArg_ParseTuple(args, "Os", &cap, &path) || !get(cap))
		return NULL;
	return result(get(cap), dce_scenario_save(get(cap), path));
}

static PyObject *
py_load_yaml(PyObject *self, PyObject *args)
{
	PyObject *cap;
	const char *path;
	if (!PyArg_ParseTuple(args, "Os", &cap, &path) || !get(cap))
		return NULL;
	return result(get(cap), dce_scenario_load_yaml(get(cap), path));
}

static PyObject *
py_run_paths(PyObject *self, PyObject *args)
{
	return Py_BuildValue("(ss)", DCE_RUN_PATH, DCE_RUN_BUILD);
}

static PyMethodDef methods[] = {
	{ "new", py_new, METH_NOARGS, "a new, empty scenario" },
	{ "where", py_where, METH_VARARGS, "where the next calls come from (for errors)" },
	{ "set", py_set, METH_VARARGS, "a whole-run setting" },
	{ "add_node", py_add_node, METH_VARARGS, "add a node; its index" },
	{ "node_index", py_node_index, METH_VARARGS, "a node's index by name, -1 if none" },
	{ "node_count", py_node_count, METH_VARARGS, "number of nodes" },
	{ "node_name", py_node_name, METH_VARARGS, "a node's name" },
	{ "node_sysctl", py_node_sysctl, METH_VARARGS, "a sysctl at boot (linux stack)" },
	{ "node_file", py_node_file, METH_VARARGS, "a file placed in the node" },
	{ "node_pcap", py_node_pcap, METH_VARARGS, "capture every device of the node" },
	{ "node_rank", py_node_rank, METH_VARARGS, "the MPI rank that runs the node (distributed runs)" },
	{ "node_position", py_node_position, METH_VARARGS, "the node's position (Wi-Fi), \"x,y[,z]\"" },
	{ "add_link", py_add_link, METH_VARARGS, "add a link; its index" },
	{ "link_set", py_link_set, METH_VARARGS, "a link option" },
	{ "link_address", py_link_address, METH_VARARGS, "an explicit address on a link" },
	{ "add_route", py_add_route, METH_VARARGS, "a static route" },
	{ "generate", py_generate, METH_VARARGS, "a generated topology; index of its first node" },
	{ "add_process", py_add_process, METH_VARARGS, "a process (command line or argv list)" },
	{ "process_set", py_process_set, METH_VARARGS, "a process option" },
	{ "process_count", py_process_count, METH_VARARGS, "number of processes" },
	{ "check", py_check, METH_VARARGS, "check the whole scenario" },
	{ "save", py_save, METH_VARARGS, "write the scenario file" },
	{ "load_yaml", py_load_yaml, METH_VARARGS, "add what a scenario file describes" },
	{ "run_paths", py_run_paths, METH_NOARGS, "(installed dce-run, build-tree dce-run)" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT, "dce._dce", "the scenario layer of dce (src/scenario/scenario.h)", -1, methods,
	NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__dce(void)
{
	PyObject *m = PyModule_Create(&module);
	if (!m)
		return NULL;
	dce_error = PyErr_NewExceptionWithDoc("dce.Error",
					      "a scenario that cannot run: one line naming where and what to do",
					      NULL, NULL);
	Py_INCREF(dce_error);
	PyModule_AddObject(m, "Error", dce_error);
	return m;
}
