// SPDX-License-Identifier: GPL-2.0
/* Network devices bridged to the host: an Ethernet device whose transmit hands
 * the frame to the host (net_transmit) and whose receive is an interrupt the host
 * raises with dce_kernel_net_receive. No offloads: the stack computes checksums
 * and segments, as for a plain NIC, so what the host sees is what a wire carries. */
#include <linux/etherdevice.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>
#include <asm/dce.h>

struct dce_netdev {
	void *cookie;
};

/* The frame of the current dce_kernel_net_receive entry (entries never nest). */
static struct {
	int ifindex;
	const void *data;
	unsigned long len;
} dce_rx;

static netdev_tx_t dce_netdev_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct dce_netdev *priv = netdev_priv(dev);

	if (skb_linearize(skb)) {
		dev->stats.tx_dropped++;
		dev_kfree_skb_any(skb);
		return NETDEV_TX_OK;
	}
	dce_host.net_transmit(dce_host.ctx, priv->cookie, skb->data, skb->len);
	dev->stats.tx_packets++;
	dev->stats.tx_bytes += skb->len;
	dev_consume_skb_any(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops dce_netdev_ops = {
	.ndo_start_xmit = dce_netdev_xmit,
	.ndo_set_mac_address = eth_mac_addr,
	.ndo_validate_addr = eth_validate_addr,
};

static void dce_netdev_setup(struct net_device *dev)
{
	ether_setup(dev);
	dev->netdev_ops = &dce_netdev_ops;
	dev->needs_free_netdev = true;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = 65535 - ETH_HLEN;
}

/* Process context (pid 1): args as documented for DCE_KREQ_NETDEV_NEW. */
long dce_netdev_new(const long *args)
{
	const char *name = (const char *)args[0];
	const u8 *mac = (const u8 *)args[1];
	struct net_device *dev;
	struct dce_netdev *priv;
	int err;

	dev = alloc_netdev(sizeof(*priv), name ? name : "eth%d", NET_NAME_USER,
			   dce_netdev_setup);
	if (!dev)
		return -ENOMEM;
	priv = netdev_priv(dev);
	priv->cookie = (void *)args[3];
	if (args[2])
		dev->mtu = args[2];
	if (args[4] & DCE_KNETDEV_NOARP)
		dev->flags |= IFF_NOARP;
	if (mac)
		eth_hw_addr_set(dev, mac);
	else
		eth_hw_addr_random(dev);
	err = register_netdev(dev);
	if (err) {
		free_netdev(dev);
		return err;
	}
	return dev->ifindex;
}

/* Hard interrupt context. */
void dce_netdev_receive(void)
{
	struct net_device *dev;
	struct sk_buff *skb;

	if (!dce_rx.data)
		return;
	rcu_read_lock();
	dev = dev_get_by_index_rcu(&init_net, dce_rx.ifindex);
	if (!dev || dce_rx.len < ETH_HLEN) {
		rcu_read_unlock();
		dce_rx.data = NULL;
		return;
	}
	skb = netdev_alloc_skb_ip_align(dev, dce_rx.len);
	if (skb) {
		skb_put_data(skb, dce_rx.data, dce_rx.len);
		skb->protocol = eth_type_trans(skb, dev);
		dev->stats.rx_packets++;
		dev->stats.rx_bytes += dce_rx.len;
		netif_rx(skb);
	} else {
		dev->stats.rx_dropped++;
	}
	rcu_read_unlock();
	dce_rx.data = NULL;
}

DCE_EXPORT void dce_kernel_net_receive(int ifindex, const void *frame, unsigned long len)
{
	if (dce_dead)
		return;
	dce_rx.ifindex = ifindex;
	dce_rx.data = frame;
	dce_rx.len = len;
	dce_kernel_interrupt(DCE_IRQ_NET);
}
