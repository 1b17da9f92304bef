/* timerfd.c - timerfds on the simulated clock. */
#include "../core/kernel.h"
#include "../core/sim.h"
#include "syscalls.h"
#include "timespec.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>

struct tfd {
	int clock;
	uint64_t expirations;
	uint64_t interval, expires; /* simulated ns; expires 0 = disarmed */
	uint64_t event;
	struct dce_file *file;
	uint32_t node;
	uint64_t fired;             /* expiries ever: edges for EPOLLET */
};

static void tfd_fire(void *arg)
{
	struct tfd *tf = arg;
	tf->event = 0;
	tf->expirations++;
	tf->fired++;
	if (tf->interval) {
		tf->expires += tf->interval;
		tf->event = dce_sim_schedule(tf->expires - dce_sim_now(), tf->node, tfd_fire, tf);
	} else
		tf->expires = 0;
	dce_file_notify(tf->file);
}

static ssize_t tfd_read(struct dce_thread *t, struct dce_file *f, void *buf, size_t len)
{
	struct tfd *tf = f->priv;
	if (len < 8)
		return -EINVAL;
	while (!tf->expirations) {
		if (f->flags & O_NONBLOCK)
			return -EAGAIN;
		if (dce_wait_on(t, &f->readq, -1) == -EINTR)
			return -EINTR;
	}
	memcpy(buf, &tf->expirations, 8);
	tf->expirations = 0;
	return 8;
}

static int tfd_poll(struct dce_file *f)
{
	struct tfd *tf = f->priv;
	return tf->expirations ? POLLIN | POLLRDNORM : 0;
}

static void tfd_release(struct dce_file *f)
{
	struct tfd *tf = f->priv;
	if (tf->event)
		dce_sim_cancel(tf->event);
	free(tf);
}

static const struct dce_file_ops tfd_ops = {
	.name = "anon_inode:[timerfd]", .read = tfd_read, .poll = tfd_poll, .release = tfd_release,
};

long sys_timerfd_create(struct dce_thread *t, long clock, long flags)
{
	if (clock != CLOCK_MONOTONIC && clock != CLOCK_REALTIME && clock != CLOCK_BOOTTIME &&
	    clock != CLOCK_REALTIME_ALARM && clock != CLOCK_BOOTTIME_ALARM)
		return -EINVAL;
	if (flags & ~(TFD_CLOEXEC | TFD_NONBLOCK))
		return -EINVAL;
	struct tfd *tf = calloc(1, sizeof *tf);
	tf->clock = (int)clock;
	tf->node = t->proc->node->id;
	struct dce_file *f = dce_file_new(&tfd_ops, -1, O_RDONLY | ((int)flags & O_NONBLOCK));
	f->priv = tf;
	tf->file = f;
	return dce_fd_install(t->proc, f, 0, flags & TFD_CLOEXEC);
}

static struct tfd *lookup(struct dce_thread *t, long fd, long *err)
{
	struct dce_file *f = dce_fd_lookup(t->proc, (int)fd);
	*err = !f ? -EBADF : f->ops != &tfd_ops ? -EINVAL : 0;
	return *err ? NULL : f->priv;
}

long sys_timerfd_gettime(struct dce_thread *t, long fd, uint64_t curp)
{
	long err;
	struct tfd *tf = lookup(t, fd, &err);
	if (!tf)
		return err;
	struct itimerspec *cur = DCE_USER(curp);
	uint64_t now = dce_sim_now();
	dce_ns_ts(tf->expires > now ? tf->expires - now : 0, &cur->it_value);
	dce_ns_ts(tf->interval, &cur->it_interval);
	return 0;
}

long sys_timerfd_settime(struct dce_thread *t, long fd, long flags, uint64_t newp, uint64_t oldp)
{
	long err;
	struct tfd *tf = lookup(t, fd, &err);
	if (!tf)
		return err;
	const struct itimerspec *nv = DCE_USER(newp);
	if (!nv)
		return -EFAULT;
	if (nv->it_value.tv_nsec < 0 || nv->it_value.tv_nsec >= 1000000000L || nv->it_interval.tv_nsec < 0 ||
	    nv->it_interval.tv_nsec >= 1000000000L || nv->it_value.tv_sec < 0)
		return -EINVAL;
	if (oldp)
		sys_timerfd_gettime(t, fd, oldp);
	if (tf->event)
		dce_sim_cancel(tf->event);
	tf->event = 0;
	tf->expirations = 0;
	uint64_t now = dce_sim_now();
	uint64_t value = dce_ts_ns(&nv->it_value);
	tf->interval = dce_ts_ns(&nv->it_interval);
	if (!value) {
		tf->expires = 0;
		return 0;
	}
	if (flags & TFD_TIMER_ABSTIME) {
		uint64_t base = tf->clock == CLOCK_REALTIME || tf->clock == CLOCK_REALTIME_ALARM
		                        ? dce_time_realtime_ns() - now
		                        : 1000000000ULL; /* monotonic reads sim time + 1 s */
		tf->expires = value > base ? value - base : 0;
		if (tf->expires < now)
			tf->expires = now;
	} else
		tf->expires = now + value;
	tf->event = dce_sim_schedule(tf->expires - now, tf->node, tfd_fire, tf);
	return 0;
}

int dce_timerfd_edges(struct dce_file *f, uint64_t *in, uint64_t *out)
{
	if (f->ops != &tfd_ops)
		return 0;
	*in = ((struct tfd *)f->priv)->fired;
	*out = 0;
	return 1;
}
