// SPDX-License-Identifier: GPL-2.0
/* Host requests. pid 1 creates tasks and network devices. A host task is a user-mode thread of pid 1 (its own file table,
 * sharing pid 1's empty address space) that waits for requests in a mailbox and
 * runs each system call as a function call. The host's doorbell interrupt moves
 * queued requests to their task's mailbox and wakes the task. */
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/task_work.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/signal.h>
#include <linux/slab.h>
#include <net/net_namespace.h>
#include <asm/dce.h>

struct dce_request_list {
	struct dce_kernel_request *head, *tail;
};

struct dce_task {
	struct task_struct *task;
	struct dce_kernel_request *created_by;
	struct dce_request_list mailbox;
};

struct dce_kernel_request *dce_requests_take(void);

static struct task_struct *dce_pid1;
static struct dce_request_list dce_pid1_mailbox;

static void dce_list_push(struct dce_request_list *l, struct dce_kernel_request *r)
{
	r->next = NULL;
	if (l->tail)
		l->tail->next = r;
	else
		l->head = r;
	l->tail = r;
}

static struct dce_kernel_request *dce_list_pop(struct dce_request_list *l)
{
	struct dce_kernel_request *r;
	unsigned long flags;

	local_irq_save(flags);
	r = l->head;
	if (r) {
		l->head = r->next;
		if (!l->head)
			l->tail = NULL;
	}
	local_irq_restore(flags);
	return r;
}

static void dce_request_complete(struct dce_kernel_request *r, long result)
{
	r->result = result;
	dce_host.request_done(dce_host.ctx, r);
}

/* Hard interrupt context. */
void dce_requests_deliver(void)
{
	struct dce_kernel_request *r = dce_requests_take(), *next;

	for (; r; r = next) {
		struct dce_task *t = (struct dce_task *)r->task;

		next = r->next;
		if (r->op == DCE_KREQ_TASK_NEW || r->op == DCE_KREQ_NETDEV_NEW) {
			dce_list_push(&dce_pid1_mailbox, r);
			if (dce_pid1)
				wake_up_process(dce_pid1);
		} else if ((r->op == DCE_KREQ_SYSCALL || r->op == DCE_KREQ_TASK_EXIT ||
			    r->op == DCE_KREQ_WATCH || r->op == DCE_KREQ_UNWATCH) && t) {
			dce_list_push(&t->mailbox, r);
			wake_up_process(t->task);
		} else {
			dce_request_complete(r, -EINVAL);
		}
	}
}

/* Sleep until the mailbox has a request. Signals cannot wake this wait. */
static struct dce_kernel_request *dce_mailbox_wait(struct dce_request_list *l)
{
	struct dce_kernel_request *r;

	for (;;) {
		set_current_state(TASK_IDLE);
		r = dce_list_pop(l);
		if (r) {
			__set_current_state(TASK_RUNNING);
			return r;
		}
		schedule();
	}
}

/* A system call is a function call here: nothing returns to user mode, so a
 * restart request becomes EINTR and signals (SIGPIPE) are dropped; the host
 * raises its own from the error. */
static long dce_task_syscall(struct dce_kernel_request *r)
{
	long ret = dce_syscall(r->nr, r->args);

	if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR || ret == -ERESTARTNOHAND ||
	    ret == -ERESTART_RESTARTBLOCK)
		ret = -EINTR;
	if (signal_pending(current))
		flush_signals(current);
	return ret;
}

/* A watch: what epoll puts on a file's wait queues, reporting to the host. */
#define DCE_WATCH_QUEUES 2
struct dce_watch {
	struct file *file;
	void *cookie;
	poll_table pt;
	int n;
	struct {
		wait_queue_head_t *head;
		wait_queue_entry_t entry;
	} q[DCE_WATCH_QUEUES];
};

static int dce_watch_wake(wait_queue_entry_t *entry, unsigned int mode, int sync, void *key)
{
	struct dce_watch *w = entry->private;

	if (dce_host.file_event)
		dce_host.file_event(dce_host.ctx, w->cookie, key_to_poll(key));
	return 0;
}

static void dce_watch_queue(struct file *file, wait_queue_head_t *head, poll_table *pt)
{
	struct dce_watch *w = container_of(pt, struct dce_watch, pt);

	if (w->n >= DCE_WATCH_QUEUES)
		return;
	w->q[w->n].head = head;
	init_waitqueue_func_entry(&w->q[w->n].entry, dce_watch_wake);
	w->q[w->n].entry.private = w;
	add_wait_queue(head, &w->q[w->n].entry);
	w->n++;
}

static long dce_watch_new(const long *args)
{
	struct dce_watch *w;
	struct file *file = fget(args[0]);

	if (!file)
		return -EBADF;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w) {
		fput(file);
		return -ENOMEM;
	}
	w->file = file;
	w->cookie = (void *)args[1];
	init_poll_funcptr(&w->pt, dce_watch_queue);
	vfs_poll(file, &w->pt);
	return (long)w;
}

static long dce_watch_remove(const long *args)
{
	struct dce_watch *w = (struct dce_watch *)args[0];
	int i;

	if (!w)
		return -EINVAL;
	for (i = 0; i < w->n; i++)
		remove_wait_queue(w->q[i].head, &w->q[i].entry);
	fput(w->file);
	kfree(w);
	return 0;
}

/* What returning to user mode would do: run the work queued for this task (the
 * final fput of a closed file releases its socket here). */
static void dce_task_resume_work(void)
{
	if (current->task_works)
		task_work_run();
}

static int dce_task_main(void *arg)
{
	struct dce_task *t = arg;
	struct dce_kernel_request *r, *exit_request;
	t->task = current;
	dce_request_complete(t->created_by, (long)t);
	for (;;) {
		long ret;

		r = dce_mailbox_wait(&t->mailbox);
		if (r->op == DCE_KREQ_TASK_EXIT)
			break;
		if (r->op == DCE_KREQ_WATCH)
			ret = dce_watch_new(r->args);
		else if (r->op == DCE_KREQ_UNWATCH)
			ret = dce_watch_remove(r->args);
		else
			ret = dce_task_syscall(r);
		dce_task_resume_work();
		dce_request_complete(r, ret);
	}
	exit_request = r;
	while ((r = dce_list_pop(&t->mailbox)) != NULL)
		dce_request_complete(r, -ESRCH);
	kfree(t);
	dce_task_resume_work();
	dce_request_complete(exit_request, 0);
	return 0; /* "returns to user space", where it exits */
}

static void dce_task_new(struct dce_kernel_request *r)
{
	struct dce_task *t = kzalloc(sizeof(*t), GFP_KERNEL);
	pid_t pid;

	if (!t) {
		dce_request_complete(r, -ENOMEM);
		return;
	}
	t->created_by = r;
	pid = user_mode_thread(dce_task_main, t, CLONE_VM | SIGCHLD |
			       (r->args[0] & DCE_KTASK_SHARE_FILES ? CLONE_FILES : 0));
	if (pid < 0) {
		kfree(t);
		dce_request_complete(r, pid);
	}
}

void dce_init_main(void)
{
	struct dce_kernel_request *r;
	unsigned int fd;

	/* pid 1's console descriptors (if any) are not the host process's; tasks
	 * copy or share this table. */
	for (fd = 0; fd < 3; fd++)
		close_fd(fd);
	/* Exited host tasks are reaped automatically. */
	kernel_sigaction(SIGCHLD, SIG_IGN);
	/* What a distribution's early boot does first: lo is up. */
	rtnl_lock();
	dev_change_flags(init_net.loopback_dev, init_net.loopback_dev->flags | IFF_UP, NULL);
	rtnl_unlock();
	dce_pid1 = current;
	dce_host.booted(dce_host.ctx);
	for (;;) {
		r = dce_mailbox_wait(&dce_pid1_mailbox);
		if (r->op == DCE_KREQ_NETDEV_NEW)
			dce_request_complete(r, dce_netdev_new(r->args));
		else
			dce_task_new(r);
	}
}
