"""Pure network analysis of the relation graph with networkx: degree, betweenness, communities
(greedy modularity) and the bridges between them.

A *bridge* is an organisation with at least `MIN_BRIDGE_LINKS` links to organisations in
communities other than its own: it connects clusters that are otherwise held together from the
inside. One incidental link does not make a bridge; the members of a cluster next to a bridge are
therefore not bridges themselves. Bridges are ranked by betweenness centrality.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from triplehelix.insights.schemas import Edge, NodePublic

MIN_BRIDGE_LINKS = 2


@dataclass(frozen=True)
class NodeRecord:
    id: str
    name: str
    group: str | None = None  # the cluster a picture colours the node by


class NodeMetrics(NodePublic):
    # Communities (other than its own) this organisation links to, with the number of links.
    reaches: dict[int, int]


@dataclass
class Network:
    nodes: list[NodeMetrics]
    edges: list[Edge]
    communities: list[list[str]]

    @property
    def bridges(self) -> list[NodeMetrics]:
        found = [n for n in self.nodes if n.bridge]
        return sorted(found, key=lambda n: (-n.betweenness, -n.degree, n.name))


def build_graph(nodes: Iterable[NodeRecord], edges: Iterable[Edge]) -> nx.Graph:
    """An undirected simple graph; several relations between two organisations add up as weight."""
    graph = nx.Graph()
    for node in nodes:
        graph.add_node(node.id, name=node.name, group=node.group)
    for edge in edges:
        if edge.source == edge.target or not graph.has_node(edge.source):
            continue
        if not graph.has_node(edge.target):
            continue
        if graph.has_edge(edge.source, edge.target):
            graph[edge.source][edge.target]["weight"] += 1
            graph[edge.source][edge.target]["kinds"].append(edge.kind)
        else:
            graph.add_edge(edge.source, edge.target, weight=1, kinds=[edge.kind])
    return graph


def communities(graph: nx.Graph) -> list[list[str]]:
    """Greedy-modularity communities, largest first, members sorted; isolated nodes alone."""
    if graph.number_of_edges() == 0:
        return [[n] for n in sorted(graph.nodes)]
    found = nx.community.greedy_modularity_communities(graph, weight="weight")
    groups = [sorted(c) for c in found]
    return sorted(groups, key=lambda c: (-len(c), c[0]))


def bridge_links(graph: nx.Graph, membership: dict[str, int], node: str) -> dict[int, int]:
    """Links from `node` into each community other than its own."""
    own = membership[node]
    reached = Counter(membership[n] for n in graph.neighbors(node) if membership[n] != own)
    return dict(sorted(reached.items()))


def analyse_network(
    nodes: Iterable[NodeRecord],
    edges: Iterable[Edge],
    min_bridge_links: int = MIN_BRIDGE_LINKS,
) -> Network:
    nodes = list(nodes)
    edges = list(edges)
    graph = build_graph(nodes, edges)
    groups = communities(graph)
    membership = {member: i for i, group in enumerate(groups) for member in group}
    between = nx.betweenness_centrality(graph) if graph.number_of_nodes() > 2 else {}
    metrics = []
    for node in nodes:
        reaches = bridge_links(graph, membership, node.id)
        metrics.append(
            NodeMetrics(
                id=node.id,
                name=node.name,
                cluster=node.group,
                degree=graph.degree(node.id),
                betweenness=round(between.get(node.id, 0.0), 6),
                community=membership[node.id],
                bridge=sum(reaches.values()) >= min_bridge_links,
                reaches=reaches,
            )
        )
    kept = [e for e in edges if graph.has_edge(e.source, e.target)]
    return Network(nodes=metrics, edges=kept, communities=groups)


def community_names(
    network: Network,
    domains: dict[str, tuple[str, ...]] | None = None,
    domain_label: dict[str, str] | None = None,
) -> list[str]:
    """A distinct name per community from its members: its most central organisation (most
    links, then betweenness) and the domain most of its members work in, with its size, e.g.
    "Leiden University · Life sciences and health (34)". Each organisation is in one community,
    so no two names are the same; a repeated organisation name gets the community number."""
    by_id = {n.id: n for n in network.nodes}
    domains, domain_label = domains or {}, domain_label or {}
    names: list[str] = []
    for i, members in enumerate(network.communities, start=1):
        central = min((by_id[m] for m in members), key=lambda n: (-n.degree, -n.betweenness, n.id))
        counted = Counter(d for m in members for d in domains.get(m, ()))
        top = counted.most_common(1)[0][0] if counted else None
        name = central.name + (f" · {domain_label.get(top, top)}" if top else "")
        name = f"{name} ({len(members)})"
        names.append(f"#{i} {name}" if name in names else name)
    return names
