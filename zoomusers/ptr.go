package zoomusers

// Ptr returns a pointer to v, for the optional fields of requests:
//
//	u.Update(ctx, zoomusers.UserUpdate{JobTitle: zoomusers.Ptr("Engineer")}, nil)
func Ptr[T any](v T) *T { return &v }
