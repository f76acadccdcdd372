import streamlit as st
st.title('region')
