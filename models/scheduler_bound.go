package models

// upperBound computes, before anything is placed, three ceilings on how many
// pairs any valid schedule could place, and returns their minimum with each:
//
//   - pairs: a pair counts only if both people have room under their limit and
//     share a free slot in which some location is open;
//   - people: each person takes at most b = min(remaining limit, slots they
//     could use with any of those pairs) meetings. Every schedule is a
//     b-matching of the pair graph, and the largest fractional b-matching
//     (a max flow in the graph's bipartite double cover, halved) bounds it;
//   - slots: in each slot, at most the open places, and at most half the
//     people who could meet in it.
func (s *scheduler) upperBound() (bound, pairs, people, slots int) {
	n := len(s.pID)
	cand := make([]uint64, s.w)
	usable := make([]uint64, n*s.w) // per person: slots usable with some live pair
	live := make([]int32, 0, len(s.pairs))
	for i, p := range s.pairs {
		if s.rem[p.a] <= 0 || s.rem[p.b] <= 0 || !and3(cand, s.set(p.a), s.set(p.b), s.roomSet) {
			continue
		}
		live = append(live, int32(i))
		for wi := range cand {
			usable[p.a*s.w+wi] |= cand[wi]
			usable[p.b*s.w+wi] |= cand[wi]
		}
	}
	pairs = len(live)

	capOf := make([]int, n)
	for v := 0; v < n; v++ {
		capOf[v] = min(max(s.rem[v], 0), countSet(usable[v*s.w:(v+1)*s.w]))
	}

	// Max flow: source -> L(v) (cap b_v), L(u) -> R(v) per pair and direction
	// (cap 1), R(v) -> sink (cap b_v).
	f := newSchedFlow(2*n+2, 2*n+4*len(live))
	src, snk := 2*n, 2*n+1
	for v := 0; v < n; v++ {
		if capOf[v] > 0 {
			f.addEdge(src, v, capOf[v])
			f.addEdge(n+v, snk, capOf[v])
		}
	}
	for _, pi := range live {
		p := s.pairs[pi]
		f.addEdge(p.a, n+p.b, 1)
		f.addEdge(p.b, n+p.a, 1)
	}
	people = f.maxFlow(src, snk) / 2

	for sl := 0; sl < s.nSlots; sl++ {
		k := 0
		for v := 0; v < n; v++ {
			if capOf[v] > 0 && hasBit(usable[v*s.w:(v+1)*s.w], sl) {
				k++
			}
		}
		slots += min(k/2, s.roomOf(sl))
	}
	return min(pairs, people, slots), pairs, people, slots
}

// schedFlow is a compact Dinic max-flow over int capacities.
type schedFlow struct {
	head, level, iter []int32
	to, next          []int32
	capa              []int
}

func newSchedFlow(nodes, edgeHint int) *schedFlow {
	f := &schedFlow{
		head:  make([]int32, nodes),
		level: make([]int32, nodes),
		iter:  make([]int32, nodes),
		to:    make([]int32, 0, 2*edgeHint),
		next:  make([]int32, 0, 2*edgeHint),
		capa:  make([]int, 0, 2*edgeHint),
	}
	for i := range f.head {
		f.head[i] = -1
	}
	return f
}

func (f *schedFlow) addEdge(u, v, c int) {
	f.to = append(f.to, int32(v), int32(u))
	f.capa = append(f.capa, c, 0)
	f.next = append(f.next, f.head[u], f.head[v])
	f.head[u] = int32(len(f.to) - 2)
	f.head[v] = int32(len(f.to) - 1)
}

func (f *schedFlow) maxFlow(src, snk int) int {
	total := 0
	queue := make([]int32, 0, len(f.head))
	for {
		for i := range f.level {
			f.level[i] = -1
		}
		f.level[src] = 0
		queue = append(queue[:0], int32(src))
		for qi := 0; qi < len(queue); qi++ {
			u := queue[qi]
			for e := f.head[u]; e >= 0; e = f.next[e] {
				if f.capa[e] > 0 && f.level[f.to[e]] < 0 {
					f.level[f.to[e]] = f.level[u] + 1
					queue = append(queue, f.to[e])
				}
			}
		}
		if f.level[snk] < 0 {
			return total
		}
		copy(f.iter, f.head)
		for {
			pushed := f.push(src, snk, 1<<40)
			if pushed == 0 {
				break
			}
			total += pushed
		}
	}
}

// push sends one augmenting path's flow along level-increasing edges.
func (f *schedFlow) push(u, snk, limit int) int {
	if u == snk {
		return limit
	}
	for ; f.iter[u] >= 0; f.iter[u] = f.next[f.iter[u]] {
		e := f.iter[u]
		v := int(f.to[e])
		if f.capa[e] <= 0 || f.level[v] != f.level[u]+1 {
			continue
		}
		if d := f.push(v, snk, min(limit, f.capa[e])); d > 0 {
			f.capa[e] -= d
			f.capa[e^1] += d
			return d
		}
	}
	return 0
}
