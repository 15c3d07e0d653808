package routing

import "livedesk/internal/livedesk"

// Pick returns the operator a new conversation goes to: among available operators below
// their limit, the lowest load (open/limit); ties go to the one who waited longest since
// their last assignment, then to the lower id. It returns nil when nobody qualifies.
func Pick(candidates []*livedesk.Operator) *livedesk.Operator {
	var best *livedesk.Operator
	for _, o := range candidates {
		if o.Status != livedesk.StatusAvailable || o.Limit <= 0 || o.OpenCount >= o.Limit {
			continue
		}
		if best == nil || less(o, best) {
			best = o
		}
	}
	return best
}

// less reports whether a should be chosen before b.
func less(a, b *livedesk.Operator) bool {
	// Compare a.open/a.limit with b.open/b.limit without floating point.
	la, lb := a.OpenCount*b.Limit, b.OpenCount*a.Limit
	if la != lb {
		return la < lb
	}
	if !a.LastAssignedAt.Equal(b.LastAssignedAt) {
		return a.LastAssignedAt.Before(b.LastAssignedAt)
	}
	return a.ID < b.ID
}

// CanOffer checks whether a conversation of the channel may be transferred to target now.
// Webchat needs the receiver online (available or pause) and below the limit; email moves
// at once to anyone below the limit.
func CanOffer(channel livedesk.Channel, target *livedesk.Operator) error {
	if channel == livedesk.ChannelWebchat && !target.Status.Can(livedesk.ActionAcceptTransfer) {
		return livedesk.Errorf(livedesk.CodeTargetUnavailable, "%s is %s: webchat conversations go only to operators who are available or on pause", target.Name, target.Status)
	}
	if target.OpenCount >= target.Limit {
		return livedesk.Errorf(livedesk.CodeLimitReached, "%s has reached the limit of %d open conversations", target.Name, target.Limit)
	}
	return nil
}
